"""Django's ``{# … #}`` comments end at the line's end: one spread over lines is printed on the
page. No template has one (a multi-line comment is ``{% comment %}``), and the issue page with
its panels shows no template syntax."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from articles.models import Paragraph
from articles.services import highlights, threads

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_multiline_short_comment_in_any_template():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:60]!r}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"\{#.*?#\}|\{#[^\n]*\n", path.read_text())
        if "\n" in match.group(0)
    ]
    assert not found, found


@pytest.mark.django_db
def test_issue_page_and_fragments_print_no_template_syntax(login, teams, users, small_issue):
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    highlight = highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=11)
    threads.comment_post(user=users["bob"], team=teams[0], highlight=highlight, body="a comment")
    client = login(users["alice"])
    pages = [
        client.get(small_issue.get_absolute_url() + f"?notes={para.pk}&thread={para.section_id}&card={highlight.pk}"),
        client.get(f"/highlights/cards/?ids={highlight.pk}", HTTP_HX_REQUEST="true"),
        client.post("/highlights/", {"paragraph": para.pk, "start": 20, "end": 30}, HTTP_HX_REQUEST="true"),
    ]
    for response in pages:
        assert response.status_code == 200
        text = BeautifulSoup(response.content, "html.parser").get_text()
        assert "{#" not in text and "#}" not in text and "{%" not in text, text[:300]
