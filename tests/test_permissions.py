"""The permission helpers views and services share: one function per decision (no database)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from articles.models import Membership
from articles.permissions import can_edit, can_resolve_thread, is_team_owner


def _user(pk: int):
    return SimpleNamespace(pk=pk, is_authenticated=True)


def _membership(role: str, team_id: int = 1) -> Membership:
    return Membership(team_id=team_id, user_id=99, role=role)


@pytest.mark.parametrize(
    ("membership", "owner"),
    [(None, False), (_membership(Membership.Role.MEMBER), False), (_membership(Membership.Role.OWNER), True)],
)
def test_is_team_owner(membership, owner):
    assert is_team_owner(membership) is owner


def test_only_the_author_can_edit():
    note = SimpleNamespace(author_id=7)
    assert can_edit(_user(7), note) is True
    assert can_edit(_user(8), note) is False
    assert can_edit(AnonymousUser(), note) is False


@pytest.mark.parametrize(
    ("user_pk", "role", "team_id", "allowed"),
    [
        (7, Membership.Role.MEMBER, 1, True),  # the starter
        (8, Membership.Role.MEMBER, 1, False),  # another member
        (8, Membership.Role.OWNER, 1, True),  # an owner of the thread's team
        (8, Membership.Role.OWNER, 2, False),  # an owner of another team
    ],
)
def test_can_resolve_thread(user_pk, role, team_id, allowed):
    thread = SimpleNamespace(started_by_id=7, team_id=1)
    assert can_resolve_thread(_user(user_pk), thread, _membership(role, team_id)) is allowed


def test_nobody_resolves_without_a_thread_or_a_membership():
    thread = SimpleNamespace(started_by_id=7, team_id=1)
    assert can_resolve_thread(_user(7), None, _membership(Membership.Role.OWNER)) is False
    assert can_resolve_thread(_user(7), thread, None) is False


def test_tag_services_refuse_a_member_who_is_not_an_owner(teams, users):
    """The view hides rename/merge from non-owners; the services refuse them too."""
    from django.core.exceptions import PermissionDenied

    from articles.models import Tag
    from articles.services import tags

    team_a, _ = teams
    first, second = (Tag.objects.create(team=team_a, name=name, slug=name) for name in ("first", "second"))
    with pytest.raises(PermissionDenied):
        tags.tag_rename(user=users["bob"], tag=first, name="renamed")
    with pytest.raises(PermissionDenied):
        tags.tag_merge(user=users["bob"], source=first, target=second)
    assert set(Tag.objects.filter(team=team_a).values_list("name", flat=True)) == {"first", "second"}
