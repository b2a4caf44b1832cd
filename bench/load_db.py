"""The database ends of the load test (bench/load.py): set up the team and pick the paragraph
before the run, count every acknowledged write after it.

Run as ``python -m bench.load_db setup PLAN.json`` / ``python -m bench.load_db verify PLAN.json
ACKS.json REPORT.json`` in the environment of the server under test (DIGEST_DATA_DIR,
DATABASE_URL), never inside the load generator (locust patches the standard library with gevent).
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"load-[0-9a-f]{32}")
TEAM = "Load team"
MEMBERS = 50
# The Python test client's log-in (a session row, as after a form log-in) for the users that do not
# log in through /accounts/login/: each form log-in costs half a second of PBKDF2 on the server.
PASSWORD = "load-pass-4816-quill"


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest_site.settings")
    import django

    django.setup()


def _word_ranges(text: str, *, longest: int = 6) -> list[list[int]]:
    """Every run of 1..``longest`` consecutive words of ``text`` as [start, end) code-point offsets."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    return [
        [words[i][0], words[j][1]]
        for i in range(len(words))
        for j in range(i, min(i + longest, len(words)))
    ]


def setup(plan_path: Path, *, members: int, form_logins: int) -> None:
    """Migrate, import samples/ (as ``manage.py import_newsletters samples``), then a team of ``members`` users; the longest paragraph of the newest issue as the target. Users
    past the first ``form_logins`` get a session made the way Django's test client makes one."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Issue, Membership, Paragraph, Team

    call_command("migrate", interactive=False, verbosity=0)
    call_command("import_newsletters", str(ROOT / "samples"), stdout=io.StringIO())
    User = get_user_model()
    team = Team.objects.create(name=TEAM, slug="load-team")
    hashed = make_password(PASSWORD)  # one hash for all: setting it per user would cost 50 x 0.5 s
    users = User.objects.bulk_create([User(username=f"load{n:02d}", password=hashed) for n in range(members)])
    Membership.objects.bulk_create(
        [Membership(team=team, user=user, role="owner" if n == 0 else "member") for n, user in enumerate(users)]
    )
    issue = Issue.objects.order_by("-number", "-pk").first()
    paragraph = max(Paragraph.objects.filter(section__issue=issue).select_related("section"), key=lambda p: len(p.text))
    accounts = []
    for n, user in enumerate(users):
        account = {"username": user.username, "password": PASSWORD, "sessionid": None}
        if n >= form_logins:
            client = Client()
            client.force_login(user)
            account["sessionid"] = client.cookies["sessionid"].value
        accounts.append(account)
    plan = {
        "issue_url": issue.get_absolute_url(),
        "paragraph": paragraph.pk,
        "section": paragraph.section_id,
        "ranges": _word_ranges(paragraph.text),
        "accounts": accounts,
    }
    plan_path.write_text(json.dumps(plan))


def verify(acks_path: Path) -> dict:
    """Every acknowledged write, counted in the database: notes and comments by their marker (each
    exactly once), highlights by (author, range) holding what the author sent last."""
    _django()
    from articles.models import Comment, Highlight, Note, Team

    acks = json.loads(acks_path.read_text())
    team = Team.objects.get(name=TEAM)
    report: dict = {"acknowledged": Counter(a["kind"] for a in acks), "lost": {}, "duplicated": {}, "unacknowledged_rows": {}}

    def markers(bodies) -> Counter:
        return Counter(m for body in bodies for m in MARKER.findall(body))

    notes = {n.author.username + "|" + m: n for n in Note.objects.filter(team=team).select_related("author")
             for m in MARKER.findall(n.body)}
    note_markers = markers(Note.objects.filter(team=team).values_list("body", flat=True))
    comments = {m: c for c in Comment.objects.filter(thread__team=team).select_related("author")
                for m in MARKER.findall(c.body)}
    comment_markers = markers(Comment.objects.filter(thread__team=team).values_list("body", flat=True))
    acked_notes = [a for a in acks if a["kind"] == "note"]
    acked_comments = [a for a in acks if a["kind"] == "reply"]
    report["lost"]["note"] = sum(
        1 for a in acked_notes
        if a["user"] + "|" + a["marker"] not in notes or notes[a["user"] + "|" + a["marker"]].visibility != a["visibility"]
    )
    report["lost"]["reply"] = sum(
        1 for a in acked_comments
        if a["marker"] not in comments or comments[a["marker"]].author.username != a["user"]
        or comments[a["marker"]].parent_id != a["parent"]
    )
    report["duplicated"]["note"] = sum(n - 1 for n in note_markers.values() if n > 1)
    report["duplicated"]["reply"] = sum(n - 1 for n in comment_markers.values() if n > 1)
    report["unacknowledged_rows"]["note"] = len(set(note_markers) - {a["marker"] for a in acked_notes})
    report["unacknowledged_rows"]["reply"] = len(set(comment_markers) - {a["marker"] for a in acked_comments})

    # Highlights: one row per author and range. Highlighting a range again (a double submit)
    # must keep what it sent: the colour of the last submit, the note of the last one (a later note
    # replaces an earlier one: that is the author's own edit), the tags of every submit. A write is
    # lost when a later one was acknowledged but the note still holds its marker or an older one
    # (everything after it was dropped), when its tags are missing, or when the row is missing.
    writes: dict[tuple, list[dict]] = defaultdict(list)
    for a in acks:  # in the order each user's requests were acknowledged (each user is sequential)
        if a["kind"] == "highlight":
            writes[(a["user"], a["start"], a["end"])].append(a)
    rows = Counter()
    stored = {}
    for h in Highlight.objects.filter(team=team).select_related("author").prefetch_related("tags"):
        key = (h.author.username, h.start, h.end)
        rows[key] += 1
        stored[key] = h
    lost = 0
    for key, sent in writes.items():
        h = stored.get(key)
        if h is None:
            lost += len(sent)
            continue
        tags = {t.name.casefold() for t in h.tags.all()}
        held = next((i for i in range(len(sent) - 1, -1, -1) if sent[i]["marker"] in h.note), -1)
        for i, a in enumerate(sent):
            dropped = i > held or not {t.casefold() for t in a["tags"]} <= tags
            if i == len(sent) - 1 and h.colour != a["colour"]:
                dropped = True
            lost += dropped
    report["lost"]["highlight"] = lost
    report["duplicated"]["highlight"] = sum(n - 1 for n in rows.values() if n > 1)
    report["unacknowledged_rows"]["highlight"] = len(set(rows) - set(writes))
    report["highlight_repeats"] = sum(len(sent) - 1 for sent in writes.values())
    report["rows"] = {
        "note": Note.objects.filter(team=team).count(),
        "reply": Comment.objects.filter(thread__team=team).count(),
        "highlight": Highlight.objects.filter(team=team).count(),
    }
    return report


def main(argv: list[str]) -> None:
    command, *paths = argv
    if command == "setup":
        setup(Path(paths[0]), members=int(paths[1]), form_logins=int(paths[2]))
    elif command == "verify":
        Path(paths[1]).write_text(json.dumps(verify(Path(paths[0]))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
