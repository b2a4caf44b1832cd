from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.services.demo import DEMO_TEAM, demo_samples_import, demo_team_ensure
from articles.services.importing import ImportStatus


class Command(BaseCommand):
    help = (
        "Import the sample newsletters (the first time only: a sample deleted later stays deleted) and "
        "create the demo team with two users (random passwords, printed once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--samples", type=Path, default=Path(settings.BASE_DIR) / "samples",
            help="folder of sample newsletters (default: samples/ of the checkout)",
        )

    def handle(self, *args, samples: Path, **options):
        self._samples(samples)
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

    def _samples(self, folder: Path) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        results = demo_samples_import([(p.name, p.read_bytes()) for p in files])
        if results is None:
            self.stdout.write("Samples: imported on an earlier run; not imported again (deleted ones stay deleted).")
            return
        for result in results:
            self.stdout.write(self.style.ERROR(str(result)) if result.failed else str(result))
        imported = sum(r.status is not ImportStatus.FAILED for r in results)
        self.stdout.write(f"Samples: {len(files)} file(s), {imported} issue(s) imported or already there.")
