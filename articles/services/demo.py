"""The demo set-up used by `make run`: a team of two users with random passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Membership, Team

DEMO_TEAM = "Demo team"
DEMO_USERS = (("alice", Membership.Role.OWNER, True), ("bob", Membership.Role.MEMBER, False))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str | None  # None: the account existed already and its password was left alone
    is_staff: bool


def demo_team_ensure() -> list[DemoAccount]:
    """Create the demo team and users if missing. Existing users keep their passwords."""
    User = get_user_model()
    accounts = []
    with transaction.atomic():
        team, _ = Team.objects.get_or_create(name=DEMO_TEAM, defaults={"slug": "demo"})
        for username, role, is_staff in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            password = None
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username, password=password, is_staff=is_staff, is_superuser=is_staff
                )
            Membership.objects.get_or_create(team=team, user=user, defaults={"role": role})
            accounts.append(DemoAccount(username, password, user.is_staff))
    return accounts
