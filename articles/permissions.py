"""Who may do what: one function per decision, asked by views (to show a button) and by services
(to refuse). Pure over the objects they are given — no queries — so a view can answer from the
request's cached memberships and a service from the membership it has just checked."""

from __future__ import annotations

from articles.models import Membership, Thread


def is_team_owner(membership: Membership | None) -> bool:
    """An owner of the membership's team (owners manage the team's tags)."""
    return membership is not None and membership.role == Membership.Role.OWNER


def can_edit(user, annotation) -> bool:
    """Only its author edits or deletes a highlight, note or comment."""
    return bool(user and user.is_authenticated) and annotation.author_id == user.pk


def can_resolve_thread(user, thread: Thread | None, membership: Membership | None) -> bool:
    """The thread's starter or an owner of its team marks it resolved (or reopens it);
    ``membership``: the user's membership of the thread's team."""
    if thread is None or membership is None or membership.team_id != thread.team_id:
        return False
    return thread.started_by_id == user.pk or is_team_owner(membership)
