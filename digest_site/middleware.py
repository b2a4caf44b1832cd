"""Site-wide middleware: the request id (in a header and on every log line), slow-request
warnings, the Permissions-Policy header, and the page shown to a locked-out login (django-axes)."""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.shortcuts import render

logger = logging.getLogger("digest_site.requests")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# An incoming X-Request-ID (from the reverse proxy) is kept when it is short and harmless in a log.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` ("-" outside a request) so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id (``request.request_id``, the ``X-Request-ID`` response header, the
    log records made while it runs) and logs requests slower than DIGEST_SLOW_REQUEST_MS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            elapsed_ms = (time.monotonic() - started) * 1000
            if elapsed_ms > settings.DIGEST_SLOW_REQUEST_MS:
                logger.warning(
                    "slow request: %s %s took %d ms (status %s)",
                    request.method, request.path, elapsed_ms, response.status_code,
                )
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    """Denies the browser features Digest never uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str:
    """The client's address for the login throttle (settings.AXES_CLIENT_IP_CALLABLE).

    Behind the documented reverse proxy (DIGEST_BEHIND_TLS_PROXY=true) it is the last
    X-Forwarded-For entry: Caddy and nginx ($proxy_add_x_forwarded_for) append the address they
    saw, so whatever a client sends itself stays to the left. Otherwise REMOTE_ADDR.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) or 1
    return f"Too many failed attempts; try again in {minutes} minute{'s' if minutes != 1 else ''}."


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout: the login page again, with the reason, as HTTP 429."""
    from django.contrib.auth.forms import AuthenticationForm  # not at import: LOGGING loads this module

    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
