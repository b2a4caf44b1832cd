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
