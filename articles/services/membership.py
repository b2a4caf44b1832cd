"""The server-side membership check every annotation write starts with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from articles.models import Membership, Team
from articles.permissions import can_edit, is_team_owner


def membership_require(*, user, team: Team) -> Membership:
    """The user's membership of ``team``; PermissionDenied when there is none (anymore)."""
    membership = Membership.objects.filter(team=team, user=user).first() if user.is_authenticated else None
    if membership is None:
        raise PermissionDenied("not a member of this team")
    return membership


def author_require(*, user, obj, what: str) -> None:
    """A member of ``obj.team`` who wrote ``obj``; PermissionDenied otherwise."""
    membership_require(user=user, team=obj.team)
    if not can_edit(user, obj):
        raise PermissionDenied(f"only the author changes a {what}")


def staff_require(*, user, perm: str) -> None:
    """An active staff user holding ``perm`` (an admin action's own check); PermissionDenied otherwise."""
    if not (user is not None and user.is_active and user.is_staff and user.has_perm(perm)):
        raise PermissionDenied(f"only staff with {perm} do this")


def owner_require(*, user, team: Team) -> Membership:
    """The user's membership of ``team`` if they own it; PermissionDenied otherwise."""
    membership = membership_require(user=user, team=team)
    if not is_team_owner(membership):
        raise PermissionDenied("only a team owner does this")
    return membership
