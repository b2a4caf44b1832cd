"""Browser-security headers on every kind of response, login throttling (django-axes), the
request id and server-error logging."""

from __future__ import annotations

import datetime
import logging

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


def _csp_directives(value: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in value.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def _assert_security_headers(response):
    assert _csp_directives(response["Content-Security-Policy"]) == _csp_directives(CSP)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_headers_on_a_page_a_redirect_a_404_and_the_admin_login(client, reader_client):
    page = reader_client.get("/")
    assert page.status_code == 200
    _assert_security_headers(page)
    redirect = Client().get("/")
    assert redirect.status_code == 302
    _assert_security_headers(redirect)
    missing = reader_client.get("/no-such-page/")
    assert missing.status_code == 404
    _assert_security_headers(missing)
    admin_login = Client().get("/admin/login/")
    assert admin_login.status_code == 200
    _assert_security_headers(admin_login)
    login = Client().get(reverse("login"))
    _assert_security_headers(login)


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_server_error_is_logged_with_the_request_id(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    _assert_security_headers(response)
    request_id = response["X-Request-ID"]
    records = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert len(records) == 1
    assert records[0].request_id == request_id
    assert records[0].exc_info and "boom for the logging test" in str(records[0].exc_info[1])


@pytest.mark.django_db
def test_request_id_is_kept_when_safe_and_replaced_when_not(reader_client):
    kept = reader_client.get("/", headers={"X-Request-ID": "proxy-abc.123"})
    assert kept["X-Request-ID"] == "proxy-abc.123"
    replaced = reader_client.get("/", headers={"X-Request-ID": "x" * 65})
    assert len(replaced["X-Request-ID"]) == 32 and replaced["X-Request-ID"] != "x" * 65
    evil = reader_client.get("/", headers={"X-Request-ID": "a b\r\nInjected: 1"})
    assert " " not in evil["X-Request-ID"]


@pytest.mark.django_db
def test_slow_request_is_logged(reader_client, settings, caplog):
    settings.DIGEST_SLOW_REQUEST_MS = -1
    with caplog.at_level(logging.WARNING, logger="digest_site"):
        response = reader_client.get("/")
    slow = [r for r in caplog.records if r.name == "digest_site.requests"]
    assert slow and "GET /" in slow[0].getMessage() and slow[0].levelno == logging.WARNING
    assert slow[0].request_id == response["X-Request-ID"]


# --- login throttling -------------------------------------------------------------------------

PASSWORD = "right-pass-4821"


def _login(username: str, password: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def victim(django_user_model):
    """A user whose password is being guessed."""
    return django_user_model.objects.create_user("victim", password=PASSWORD)


def _lockout_text(response) -> str:
    node = BeautifulSoup(response.content, "html.parser").select_one(".lockout")
    return node.get_text(strip=True) if node else ""


@pytest.mark.django_db
def test_fifty_failures_lock_the_user_and_ip_until_the_cool_off(victim, django_user_model):
    from axes.models import AccessAttempt

    statuses = [_login("victim", f"wrong-{i}").status_code for i in range(50)]
    assert statuses[:9] == [200] * 9  # the login form again, with the error
    assert set(statuses[10:]) == {429}
    locked = _login("victim", PASSWORD)
    assert locked.status_code == 429
    assert _lockout_text(locked) == "Too many failed attempts; try again in 15 minutes."
    assert "_auth_user_id" not in locked.client.session
    # Other people and other addresses are not locked out.
    django_user_model.objects.create_user("other", password=PASSWORD)
    assert _login("other", PASSWORD).status_code == 302
    assert _login("victim", PASSWORD, ip="10.0.0.2").status_code == 302
    # The lockout expires: move the recorded failures past the 15-minute cool-off.
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    after = _login("victim", PASSWORD)
    assert after.status_code == 302 and after["Location"] == reverse("articles:issue-list")


@pytest.mark.django_db
def test_admin_login_is_throttled_too(victim):
    for i in range(10):
        Client(REMOTE_ADDR="10.0.0.3").post("/admin/login/", {"username": "victim", "password": f"x{i}"})
    response = Client(REMOTE_ADDR="10.0.0.3").post("/admin/login/", {"username": "victim", "password": PASSWORD})
    assert response.status_code == 429 and _lockout_text(response).startswith("Too many failed attempts")


def test_client_ip_comes_from_x_forwarded_for_only_behind_the_proxy(rf, settings):
    from axes.helpers import get_client_ip_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert get_client_ip_address(request) == "127.0.0.1"  # default: the header is not trusted
    settings.BEHIND_TLS_PROXY = True
    assert get_client_ip_address(request) == "203.0.113.9"
    # What a client sends itself stays left of what the proxy appended.
    spoofed = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert get_client_ip_address(spoofed) == "203.0.113.9"
    assert get_client_ip_address(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
