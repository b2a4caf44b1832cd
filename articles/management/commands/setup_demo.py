from django.core.management.base import BaseCommand

from articles.services.demo import DEMO_TEAM, demo_team_ensure


class Command(BaseCommand):
    help = "Create the demo team with two users (random passwords, printed once)."

    def handle(self, *args, **options):
        for account in demo_team_ensure():
            role = "staff, can open /admin/" if account.is_staff else "reader"
            if account.password:
                self.stdout.write(self.style.SUCCESS(
                    f"{DEMO_TEAM}: user {account.username!r} password {account.password!r} ({role})"
                ))
            else:
                self.stdout.write(
                    f"{DEMO_TEAM}: user {account.username!r} exists; password unchanged "
                    f"(reset with: python manage.py changepassword {account.username})"
                )
