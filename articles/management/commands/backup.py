"""``manage.py backup [--output FILE] [--keep N]``: a consistent backup of the whole site's
database while Digest serves (digest_site.site_backup); the last line printed is its path."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digest_site import site_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump --format=custom) to "
        "data/backups/digest-<engine>-<UTC time>.<sqlite3|pgdump> or --output. Prints the path last."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="file to write (default: data/backups/…)")
        parser.add_argument(
            "--keep", type=int, metavar="N",
            help="then delete this engine's older digest-* backups in the same folder beyond the newest N",
        )

    def handle(self, *args, output=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1")
        started = time.monotonic()
        try:
            path = site_backup.backup_create(output=output)
        except site_backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if keep is not None:
            kind = site_backup.engine_kind()
            for old in site_backup.backups_prune(folder=path.parent, kind=kind, keep=keep):
                self.stderr.write(f"deleted old backup {old}")
        self.stderr.write(
            f"backup written: {path.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
        )
        self.stdout.write(str(path))
