import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.backup.archive_import import team_archive_import


class Command(BaseCommand):
    help = (
        "Import a team archive made by export_team onto this instance's issues (matched by "
        "newsletter + number, source hash, then source file name; highlights re-anchored by quote). "
        "Importing the same file twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file written by export_team (- for stdin)")
        parser.add_argument("--team", dest="team_slug", help="import into this team (default: the file's)")

    def handle(self, *args, file, team_slug=None, **options):
        try:
            raw = self.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            data = json.loads(raw)
            report = team_archive_import(data=data, team_slug=team_slug)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Cannot import {file}: {exc!r}") from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        out = self.stdout
        out.write(f"Team {report.team.slug}: {'created' if report.team_created else 'existing'}; "
                  f"{report.memberships_created} membership(s) added.")
        if report.users_created:
            out.write(self.style.WARNING(
                f"Created {len(report.users_created)} inactive user(s) without a usable password: "
                f"{', '.join(report.users_created)} (activate them and set a password in the admin)."
            ))
        for kind in ("tag", "highlight", "note", "section tag", "thread", "comment", "mention"):
            line = f"{kind}s: {report.created[kind]} created, {report.existing[kind]} already there"
            if report.skipped[kind]:
                line += f", {report.skipped[kind]} skipped"
            out.write(line)
        if report.anchoring:
            out.write("Anchoring: " + ", ".join(f"{k} {v}" for k, v in sorted(report.anchoring.items())))
        if report.missing_issues:
            out.write(self.style.WARNING(
                "Issues not on this instance (import them first, then run import_team again): "
                + "; ".join(report.missing_issues)
            ))
