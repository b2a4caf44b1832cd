"""``manage.py restore FILE [--force]``: put a ``manage.py backup`` file back, then migrate and
rebuild the search index. Stop the web server and the workers first."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from digest_site import site_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this (same-engine) database, then migrate "
        "and rebuild the search index. Refuses a database with issues or users unless --force; with "
        "--force the current database is first backed up to data/backups/."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="replace a non-empty database")

    def handle(self, *args, file: Path, force: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            site_backup.engine_check(file)
            if not site_backup.database_is_empty():
                if not force:
                    raise CommandError(
                        "The database is not empty (it has issues or users); "
                        "use --force to replace it (it is backed up first)."
                    )
                safety = site_backup.backup_create()
                self.stderr.write(f"the current database was backed up to {safety}")
            site_backup.backup_restore(path=file, force=True)
        except site_backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        call_command("rebuild_search_index", stdout=self.stderr)
        self.stdout.write(f"restored {file}")
