"""Fixtures shared by the service, view and browser tests (the importer tests need none)."""

from __future__ import annotations

import pytest

from tests.factories import issue_create


@pytest.fixture
def reader(django_user_model):
    """A logged-in-able non-staff user."""
    return django_user_model.objects.create_user("reader", password="reader-pass-123")


@pytest.fixture
def staff(django_user_model):
    """A staff superuser who may import newsletters."""
    return django_user_model.objects.create_user(
        "editor", password="editor-pass-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def reader_client(client, reader):
    """A test client logged in as ``reader``."""
    client.force_login(reader)
    return client


@pytest.fixture
def staff_client(client, staff):
    """A test client logged in as ``staff``."""
    client.force_login(staff)
    return client


@pytest.fixture
def make_issue(db):
    """Factory: ``make_issue(sections=3, paragraphs=4, number=1)`` builds an issue in the database."""
    return issue_create


SMALL_ISSUE = """Import AI 7: A small issue; and a tale
A subtitle
Welcome to Import AI, a newsletter about AI research.
Robots learn to sort buttons:
…A dek for the first story…
Researchers trained a robot arm to sort buttons into bins and it reached 97.5% accuracy after practice.
Why this matters: Cheap robots that learn quickly will show up in many kitchens by 2030, I expect.
Read more: Buttons All The Way Down (arXiv).
***
Kettles get benchmarks:
…Second dek…
KettleBench has 500 questions about tea and the best model scores 81.2 on it.
Thanks for reading!
"""


@pytest.fixture
def teams(db):
    """Team A (alice owner, bob member) and team B (carol owner); dave belongs to no team."""
    from django.contrib.auth import get_user_model

    from tests.factories import team_create

    a = team_create("Team A", alice="owner", bob="member")
    b = team_create("Team B", carol="owner")
    get_user_model().objects.create_user("dave", password="dave-pass-123")
    return a, b


@pytest.fixture
def users(teams):
    """Users by name: alice, bob (team A), carol (team B), dave (no team)."""
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def small_issue(db):
    """A small imported Import AI issue (two stories)."""
    from tests.factories import import_one

    return import_one(name="small.txt", raw=SMALL_ISSUE.encode()).issue


@pytest.fixture
def login(client):
    """``login(user)`` → a test client logged in as that user (a fresh client per call)."""
    from django.test import Client

    def _login(user, *, csrf=False):
        c = Client(enforce_csrf_checks=csrf)
        c.force_login(user)
        return c

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; PBKDF2's deliberate slowness is not what they measure."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """The five real newsletters of ../shared/seeds imported; returns {"000": Issue, …}."""
    from articles.services.importing import import_files
    from tests.seeds import seed_bytes

    results = import_files([(f"{p}.txt", seed_bytes(p)) for p in ["000", "001", "002", "003", "004"]])
    return {r.name[:3]: r.issue for r in results}
