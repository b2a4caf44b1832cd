"""Test data built straight through the ORM (the importer has its own tests)."""

from __future__ import annotations

import hashlib
import itertools

from articles.models import Issue, Membership, Newsletter, Paragraph, Section, SectionKind, Team

_counter = itertools.count(1)


def newsletter_get(name: str = "Test Letter") -> Newsletter:
    newsletter, _ = Newsletter.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-")}
    )
    return newsletter


def issue_create(
    *,
    sections: int = 2,
    paragraphs: int = 3,
    number: int | None = None,
    title: str | None = None,
    newsletter: str = "Test Letter",
) -> Issue:
    """An issue with ``sections`` stories of ``paragraphs`` paragraphs, each with a link and a lead-in."""
    n = next(_counter)
    title = title or f"Issue title {n}"
    issue = Issue.objects.create(
        newsletter=newsletter_get(newsletter),
        number=number,
        title=title,
        subtitle=f"Subtitle {n}",
        slug=f"issue-{n}",
        source_name=f"issue-{n}.txt",
        source_sha256=hashlib.sha256(title.encode()).hexdigest(),
        source_format="importai_text",
        source_text="",
    )
    for s in range(sections):
        section = Section.objects.create(
            issue=issue, position=s, kind=SectionKind.STORY, headline=f"Story {s}",
            dek=f"Dek {s}", anchor=f"s-story-{s}",
        )
        Paragraph.objects.bulk_create(
            Paragraph(
                section=section, position=p, text=f"Lead {p}: paragraph text with a link.",
                marks=[
                    {"kind": "strong", "start": 0, "end": 7, "href": ""},
                    {"kind": "link", "start": 30, "end": 34, "href": "https://example.com/"},
                ],
            )
            for p in range(paragraphs)
        )
    return issue


def team_create(name: str, **members) -> Team:
    """A team; ``members`` maps a user to a role, e.g. ``team_create("A", alice="owner")``."""
    from django.contrib.auth import get_user_model

    team = Team.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    User = get_user_model()
    for username, role in members.items():
        user = User.objects.filter(username=username).first() or User.objects.create_user(username, password=f"{username}-pass-123")
        Membership.objects.create(team=team, user=user, role=role)
    return team


def import_one(*, name: str, raw: bytes):
    """Import a source that holds exactly one issue and return its ImportResult."""
    from articles.services.importing import import_source

    [result] = import_source(name=name, raw=raw)
    return result
