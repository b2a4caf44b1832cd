import json

from django.core.management.base import BaseCommand, CommandError

from articles.backup.archive_export import team_archive_export
from articles.models import Team


class Command(BaseCommand):
    help = (
        "Write the team archive of one team (all its annotations) as JSON to stdout — private ones included: "
        "keep the file like a database dump. Usage: manage.py export_team TEAM_SLUG > team.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("team_slug")

    def handle(self, *args, team_slug, **options):
        team = Team.objects.filter(slug=team_slug).first()
        if team is None:
            raise CommandError(f"No team with the slug {team_slug!r}.")
        data = team_archive_export(team=team)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
        counts = ", ".join(f"{len(data[k])} {k.replace('_', ' ')}" for k in ("highlights", "notes", "section_tags", "threads"))
        comments = sum(len(t["comments"]) for t in data["threads"])
        self.stderr.write(f"Exported {team.name}: {counts}, {comments} comments, {len(data['users'])} users.")
