"""The reader's teams and the active one (kept in the session)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from articles.models import Comment, Highlight, Membership, Team

PERSON_SHOWN = 50

SESSION_KEY = "active_team_id"


def memberships_of(request) -> list[Membership]:
    """The user's memberships with their teams; one query, cached on the request."""
    if not hasattr(request, "_memberships"):
        user = request.user
        request._memberships = (
            list(Membership.objects.filter(user=user).select_related("team").order_by("team__name"))
            if user.is_authenticated
            else []
        )
    return request._memberships


def active_membership(request) -> Membership | None:
    """The membership of the team the user picked (if still a member), else their first."""
    memberships = memberships_of(request)
    wanted = request.session.get(SESSION_KEY)
    return next((m for m in memberships if m.team_id == wanted), memberships[0] if memberships else None)


def active_team(request) -> Team | None:
    membership = active_membership(request)
    return membership.team if membership else None


def team_mentionable(team: Team) -> dict[str, str]:
    """Lowercase username → the page a mention links to, for every member of ``team``."""
    usernames = team.members.values_list("username", flat=True)
    return {name.lower(): reverse("articles:person", args=[name]) for name in usernames}


def team_members(team: Team | None):
    """The team's members by username (nobody without a team)."""
    return get_user_model().objects.filter(memberships__team=team).order_by("username") if team else []


@dataclass(frozen=True)
class PersonPage:
    person: object
    highlights: QuerySet[Highlight]
    comments: QuerySet[Comment]


def person_page(*, user, team: Team, username: str) -> PersonPage:
    """A teammate's newest highlights and comments that ``user`` may see in ``team``; Http404
    for anyone who is not a member of ``team``."""
    person = get_user_model().objects.filter(username=username).first()
    if person is None or not Membership.objects.filter(team=team, user=person).exists():
        raise Http404("No such teammate.")
    highlights = (
        Highlight.objects.visible_to(user, team).filter(author=person)
        .select_related("author", "issue__newsletter").prefetch_related("tags").order_by("-created_at")
    )
    comments = (
        Comment.objects.visible_to(user, team).filter(author=person, deleted=False)
        .select_related("thread__issue__newsletter").order_by("-created_at")
    )
    return PersonPage(person, highlights[:PERSON_SHOWN], comments[:PERSON_SHOWN])
