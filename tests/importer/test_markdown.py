"""Markdown documents: front matter, marks, links across lines, Import AI in Markdown."""

from __future__ import annotations

from datetime import UTC, datetime

from articles.importer.markdown_doc import markdown_lines
from articles.importer.types import (
    DOC_MARKDOWN,
    DOC_TEXT,
    GENERIC_MARKDOWN,
    IMPORTAI_TEXT,
    INTRO,
    LIST_ITEM,
    QUOTE,
    SOURCE,
    STORY,
    TECH_TALE,
    TEXT,
    SourceMeta,
)  # fmt: skip
from tests.importer.extract_helpers import marks, outline, run, sample, texts


def test_front_matter_markdown():
    issue = sample("frontmatter.md")
    assert issue.format == GENERIC_MARKDOWN
    assert issue.title == "Kiln Log 7: glazes"
    assert issue.newsletter == "Kiln Log"
    assert issue.author == "Mira Vell"
    assert issue.subtitle == "Notes from the studio"
    assert issue.url == "https://kilnlog.example.com/7"
    assert issue.newsletter_key == "site:kilnlog.example.com"
    assert issue.published_at == datetime(2026, 2, 14, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "Celadon again"), (STORY, "The wood kiln")]
    intro = issue.sections[0].paragraphs[0]
    assert intro.text == "A quick hello from the studio, with a new timetable for firing."
    assert marks(intro) == [("link", "new timetable for firing", "https://kilnlog.example.com/timetable")]
    assert texts(issue, 1) == [
        (TEXT, "The green one cracked, again."),
        (LIST_ITEM, "cone 6"),
        (LIST_ITEM, "slow cool"),
        (QUOTE, "Patience is a glaze."),
    ]
    assert marks(issue.sections[1].paragraphs[0]) == [("strong", "green", ""), ("em", "again", "")]
    source = issue.sections[2].paragraphs[0]
    assert (source.kind, source.text) == (TEXT, "We lit it on Sunday. Read more: the firing notes")
    assert marks(source) == [("link", "the firing notes", "https://kilnlog.example.com/notes")]
    assert issue.notes == ()


def test_no_markdown_syntax_survives():
    issue = sample("frontmatter.md")
    for section in issue.sections:
        for p in section.paragraphs:
            assert "**" not in p.text and "](" not in p.text and not p.text.startswith("#")


def test_importai_markdown_heading_goes_through_the_refinement():
    issue = sample("importai_heading.md")
    assert issue.format == IMPORTAI_TEXT
    assert (issue.newsletter, issue.newsletter_key) == ("Import AI", "name:import-ai")
    assert (issue.number, issue.title) == (408, "Robots that fold laundry; a benchmark for puns")
    assert outline(issue) == [
        (INTRO, ""), (STORY, "Laundry robots get better at towels"), (STORY, "A benchmark for puns"),
        (TECH_TALE, "The last fold"),
    ]  # fmt: skip
    laundry = issue.sections[1]
    assert laundry.dek == "Sample text about a made-up robot"
    assert texts(issue, 1) == [
        (TEXT, "Researchers built a pretend robot that folds towels quickly."),
        (TEXT, "Why this matters: it is only an invented example."),
    ]
    assert marks(laundry.paragraphs[0]) == [("link", "towels", "https://towels.example.com/paper")]
    assert marks(laundry.paragraphs[1]) == [("strong", "Why this matters:", "")]
    assert issue.sections[3].dek == "A laundromat, sometime later"
    assert texts(issue, 3) == [(TEXT, "The machine folded the final shirt.")]


def test_markdown_sniffed_in_a_text_document():
    issue = run("Cable Notes\n\n## First cable\n\nA [short](https://c.example/1) cable.\n", DOC_TEXT)
    assert issue.format == GENERIC_MARKDOWN
    assert issue.title == "Cable Notes"
    assert outline(issue) == [(STORY, "First cable")]
    assert marks(issue.sections[0].paragraphs[0]) == [("link", "short", "https://c.example/1")]


def test_separators_and_setext_dashes():
    text = "# Title\n\nIntro line.\n---\nAfter the rule:\nbody one\n\n####\n\nSecond story:\nbody two\n"
    issue = run(text, DOC_MARKDOWN)
    assert issue.title == "Title"
    assert outline(issue) == [(INTRO, ""), (STORY, "After the rule"), (STORY, "Second story")]
    assert texts(issue, 1) == [(TEXT, "body one")]


def test_escaped_asterisks_are_a_separator_and_sources_are_kept():
    text = "# T\n\nIntro.\n\n\\*\\*\\*\n\n**Story:**\n\nText.\n\nRead more: [here](https://s.example/a)\n"
    issue = run(text, DOC_MARKDOWN)
    assert outline(issue) == [(INTRO, ""), (STORY, "Story")]
    assert texts(issue, 1) == [(TEXT, "Text."), (SOURCE, "Read more: here")]


def test_markdown_lines_flags():
    lines, dropped = markdown_lines("## Head\n\n> quoted\n\n- item\n\n[bad](javascript:x)\n")
    assert [(x.text, x.heading, x.quote, x.list_item) for x in lines] == [
        ("Head", 2, False, False), ("quoted", 0, True, False), ("item", 0, False, True), ("bad", 0, False, False),
    ]  # fmt: skip
    assert dropped == 1


CLIPPED = """---
title: "Planner notes for small teams"
source: "https://WWW.Lanternpost.example/p/planner-notes"
author:
  - "[[Marta Velde]]"
  - "[[Oskar Lind|O. Lind]]"
published: 2026-03-02
created: 2026-03-05
description: "An invented post about planning boards"
tags:
  - "clippings"
---

A short hello about planning boards.

## Boards that stay tidy

Columns were kept to three.
"""


def test_clipper_front_matter_source_url_is_the_url_and_the_site_key():
    issue = run(CLIPPED, DOC_MARKDOWN)
    assert issue.format == GENERIC_MARKDOWN
    assert issue.title == "Planner notes for small teams"
    assert issue.url == "https://WWW.Lanternpost.example/p/planner-notes"
    assert issue.newsletter_key == "site:lanternpost.example"
    assert issue.newsletter == ""  # a URL is not a name; the service derives one
    assert issue.author == "Marta Velde, O. Lind"
    assert issue.subtitle == "An invented post about planning boards"
    assert issue.published_at == datetime(2026, 3, 2, tzinfo=UTC)  # published, not created
    assert outline(issue) == [(INTRO, ""), (STORY, "Boards that stay tidy")]
    assert texts(issue, 0) == [(TEXT, "A short hello about planning boards.")]


def test_clipper_front_matter_single_wiki_author_and_site_key():
    text = (
        "---\ntitle: Orchard diary\nsite: https://orchard.example.net/diary/4\nauthor: \"[[Marta Velde]]\"\n"
        "url: https://orchard.example.net/canonical/4\n---\n\nApples were late this year.\n"
    )
    issue = run(text, DOC_TEXT)
    assert issue.author == "Marta Velde"
    assert issue.url == "https://orchard.example.net/canonical/4"  # an explicit url key wins
    assert issue.newsletter_key == "site:orchard.example.net"
    # a channel's own key (the sender) still comes first
    issue = run(text, DOC_TEXT, SourceMeta(newsletter="Orchard", newsletter_key="email:diary@orchard.example.net"))
    assert (issue.newsletter, issue.newsletter_key) == ("Orchard", "email:diary@orchard.example.net")
