"""Downloads of what the reader may see: one issue's or the team's annotations (md, csv, jsonld)."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.export.csv_export import document_csv
from articles.export.jsonld import MEDIA_TYPE as JSONLD_TYPE
from articles.export.jsonld import document_jsonld
from articles.export.markdown import document_markdown
from articles.selectors.export import export_document, issue_get_for_export

from .common import team_or_404

CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jsonld": JSONLD_TYPE,
}


def _render(doc, fmt: str, *, team_wide: bool) -> str:
    if fmt == "md":
        return document_markdown(doc, team_wide=team_wide)
    if fmt == "csv":
        return document_csv(doc)
    return json.dumps(document_jsonld(doc), ensure_ascii=False, indent=2) + "\n"


def _download(body: str, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


@require_GET
@never_cache  # private annotations: no shared or browser cache keeps a copy
def issue_export(request, slug: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown export format.")
    team = team_or_404(request)
    issue = issue_get_for_export(slug=slug)
    doc = export_document(
        user=request.user, team=team, issue=issue, absolute=request.build_absolute_uri, export_path=request.path
    )
    return _download(_render(doc, fmt, team_wide=False), fmt, f"{issue.slug}-{team.slug}-annotations")


@require_GET
@never_cache
def team_export(request, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown export format.")
    team = team_or_404(request)
    doc = export_document(user=request.user, team=team, absolute=request.build_absolute_uri, export_path=request.path)
    day = timezone.localdate().isoformat()
    return _download(_render(doc, fmt, team_wide=True), fmt, f"{team.slug}-annotations-{day}")
