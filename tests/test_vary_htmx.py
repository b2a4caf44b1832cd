"""Every view that answers htmx differently (a fragment instead of a page or a redirect) says so
with ``Vary: HX-Request``, so no cache hands a fragment to a plain request or a page to htmx.

The walker finds those views in the URLconf by what their code reaches: a view (or a function of
its module it calls, transitively) that reads ``request.htmx`` or answers through the fragment
helpers of ``articles.views.common``. Each must be wrapped by ``vary_on_headers("HX-Request")``;
a few endpoints are then requested for real and their ``Vary`` header checked."""

from __future__ import annotations

import inspect
import types

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import Paragraph

HTMX_HELPERS = {"done", "refused", "fragment", "issue_page_response"}


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _answers_htmx(func: types.FunctionType, seen=None) -> bool:
    """Whether ``func`` or a function of its module it calls reads ``.htmx`` or uses a helper."""
    seen = seen if seen is not None else set()
    if func in seen or not isinstance(func, types.FunctionType):
        return False
    seen.add(func)
    names = set(func.__code__.co_names)
    for const in func.__code__.co_consts:  # nested functions and comprehensions
        if isinstance(const, types.CodeType):
            names |= set(const.co_names)
    if "htmx" in names or names & HTMX_HELPERS:
        return True
    module = inspect.getmodule(func)
    return any(
        _answers_htmx(getattr(module, name), seen)
        for name in names
        if isinstance(getattr(module, name, None), types.FunctionType) and getattr(module, name).__module__ == module.__name__
    )


def _varies_on_hx_request(view) -> bool:
    """Whether a wrapper in the decorator chain of ``view`` is vary_on_headers(..., "HX-Request", ...)."""
    while view is not None:
        for cell in view.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, tuple) and "HX-Request" in value:  # vary_on_headers(*headers)
                return True
        view = getattr(view, "__wrapped__", None)
    return False


def _htmx_views():
    found = {}
    for route, callback in _patterns():
        inner = _innermost(callback)
        if inner.__module__.startswith("articles.views") and _answers_htmx(inner):
            found[f"{inner.__module__}.{inner.__name__} ({route})"] = callback
    return found


def test_the_walker_finds_the_htmx_views():
    names = {key.split(" ")[0] for key in _htmx_views()}
    expected = {
        "articles.views.notes.notes_panel", "articles.views.highlights.highlight_create",
        "articles.views.highlights.claim_review", "articles.views.threads.thread_view",
        "articles.views.tags.section_tags", "articles.views.claims.claim_suggestion_accept",
        "articles.views.reading.issue_detail", "articles.views.search.search_page",
    }
    assert expected <= names
    assert "articles.views.export.issue_export" not in names  # no htmx there


def test_every_htmx_view_varies_on_hx_request():
    missing = [name for name, view in _htmx_views().items() if not _varies_on_hx_request(view)]
    assert not missing, "views answering htmx without Vary: HX-Request:\n" + "\n".join(sorted(missing))


@pytest.mark.django_db
def test_vary_header_on_htmx_endpoints(login, teams, users, small_issue):
    client = login(users["alice"])
    para = Paragraph.objects.filter(section__issue=small_issue).first()
    hx = {"HTTP_HX_REQUEST": "true"}
    responses = [
        client.get(reverse("articles:notes-panel", args=[para.pk]), **hx),
        client.post(reverse("articles:notes-panel", args=[para.pk]), {"body": "a note", "visibility": "team"}, **hx),
        client.post(reverse("articles:highlight-create"), {"paragraph": para.pk, "start": 0, "end": 5}, **hx),
        client.get(reverse("articles:section-thread", args=[para.section_id]), **hx),
        client.post(reverse("articles:section-tags", args=[para.section_id]), {"names": "robots"}, **hx),
        client.get(small_issue.get_absolute_url() + "?claims=", HTTP_HX_TARGET="claims-panel", **hx),
        client.post(reverse("articles:highlight-create"), {"paragraph": para.pk, "start": 5, "end": 2}, **hx),  # 422
    ]
    for response in responses:
        assert response.status_code in (200, 422), response
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
        assert "hx-request" in vary, (response.request["PATH_INFO"], response.get("Vary"))
