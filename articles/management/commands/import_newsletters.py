from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services.importing import ImportStatus, import_source


class Command(BaseCommand):
    help = "Import newsletter files (or every file in the given folders). Exits non-zero if any failed."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")

    def handle(self, *args, paths, **options):
        files = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        failed = 0
        for file in files:
            result = import_source(name=file.name, raw=file.read_bytes())
            failed += result.failed
            style = self.style.ERROR if result.failed else (
                self.style.SUCCESS if result.status is not ImportStatus.UNCHANGED else str
            )
            self.stdout.write(style(str(result)))
        self.stdout.write(f"{len(files)} file(s): {len(files) - failed} imported or unchanged, {failed} failed")
        if failed:
            raise CommandError(f"{failed} file(s) failed to import")
