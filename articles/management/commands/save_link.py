"""``manage.py save_link URL`` — fetch a web page (guarded) and import it, in the foreground,
acting as the system; exits non-zero when the page cannot be fetched or read."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.channels.links import link_save


class Command(BaseCommand):
    help = "Fetch a web page and import it as an issue."

    def add_arguments(self, parser):
        parser.add_argument("url")

    def handle(self, *args, url, **options):
        try:
            results = link_save(url=url, user=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for result in results:
            self.stdout.write(self.style.ERROR(str(result)) if result.failed else self.style.SUCCESS(str(result)))
        if any(r.failed for r in results):
            raise CommandError(f"{url} could not be saved")
