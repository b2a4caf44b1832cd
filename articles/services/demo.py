"""The demo set-up used by `make run`: the sample newsletters, imported once (a sample the user
deleted never comes back), and a team of two users with random passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import DemoStep, Membership, Team
from articles.services.importing import ImportResult, import_files

DEMO_TEAM = "Demo team"
SAMPLES_STEP = "samples"
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


def demo_samples_import(files: list[tuple[str, bytes]]) -> list[ImportResult] | None:
    """Import the sample newsletters ``(name, bytes)`` the first time only: the step is recorded
    (``DemoStep`` "samples", with the imported issues' slugs) and later calls return ``None``
    without importing, so what the user deleted or changed since stays as they left it. The
    record is written after the import: an import cut short (or refused by the database) is done
    again next time, which imports what is missing and leaves the rest unchanged."""
    if DemoStep.objects.filter(key=SAMPLES_STEP).exists():
        return None
    results = import_files(files)
    if not any(r.retryable for r in results):  # the database failed us: try again next time
        slugs = [r.issue.slug for r in results if r.issue is not None]
        DemoStep.objects.get_or_create(key=SAMPLES_STEP, defaults={"detail": slugs})
    return results
