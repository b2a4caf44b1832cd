from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services.importing import ImportStatus, import_source


class Command(BaseCommand):
    help = (
        "Import newsletter files (or every file in the given folders): .txt, .md, .html, .eml, .mbox, "
        "RSS/Atom .xml, or a .zip of these. One report line per issue; exits non-zero if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")

    def handle(self, *args, paths, **options):
        files = []
        for path in paths:
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        counts = {status: 0 for status in ImportStatus}
        for file in files:
            for result in import_source(name=file.name, raw=file.read_bytes()):
                counts[result.status] += 1
                style = self.style.ERROR if result.failed else (
                    self.style.SUCCESS if result.status is not ImportStatus.UNCHANGED else str
                )
                self.stdout.write(style(str(result)))
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        self.stdout.write(f"{len(files)} file(s), {sum(counts.values())} issue(s): {summary}")
        if counts[ImportStatus.FAILED]:
            raise CommandError(f"{counts[ImportStatus.FAILED]} item(s) failed to import")
