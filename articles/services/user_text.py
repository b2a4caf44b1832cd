"""User-written Markdown on its way into the database: validated, rendered once, cached."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from articles import sanitize
from articles.models import Team
from articles.selectors.teams import team_mentionable

MAX_BODY_LENGTH = 10_000


def markdown_render(team: Team, body: str, *, required: bool = True) -> tuple[str, sanitize.Rendered]:
    """``(stripped source, rendered)``; @mentions link to members of ``team``. NUL characters are
    dropped (PostgreSQL text cannot hold them; forms already refuse them)."""
    body = body.replace("\x00", "").strip()
    if not body and required:
        raise ValidationError("Write something first.")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(f"At most {MAX_BODY_LENGTH:,} characters.")
    if not body:
        return "", sanitize.Rendered(html="", mentions=())
    return body, sanitize.render_markdown(body, mentionable=team_mentionable(team))
