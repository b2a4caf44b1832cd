"""The reader's teams and the active one (kept in the session)."""

from __future__ import annotations

from django.urls import reverse

from articles.models import Membership, Team

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


def is_team_owner(request) -> bool:
    membership = active_membership(request)
    return bool(membership and membership.role == Membership.Role.OWNER)


def team_mentionable(team: Team) -> dict[str, str]:
    """Lowercase username → the page a mention links to, for every member of ``team``."""
    usernames = team.members.values_list("username", flat=True)
    return {name.lower(): reverse("articles:person", args=[name]) for name in usernames}
