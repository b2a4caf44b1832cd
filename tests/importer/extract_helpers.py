"""Shared helpers for the extractor tests (invented samples only)."""

from __future__ import annotations

from pathlib import Path

from articles.importer.extract import extract
from articles.importer.types import DOC_HTML, DOC_MARKDOWN, DOC_TEXT, Document, ParsedIssue, SourceMeta

SAMPLES = Path(__file__).parent / "extract_samples"


def run(body: str, kind: str = DOC_TEXT, meta: SourceMeta = SourceMeta()) -> ParsedIssue:
    return extract(Document(name="sample", kind=kind, body=body, meta=meta))


def sample(name: str, meta: SourceMeta = SourceMeta()) -> ParsedIssue:
    kind = DOC_HTML if name.endswith(".html") else DOC_MARKDOWN if name.endswith(".md") else DOC_TEXT
    return run((SAMPLES / name).read_text(encoding="utf-8"), kind, meta)


def outline(issue: ParsedIssue) -> list[tuple[str, str]]:
    return [(s.kind, s.headline) for s in issue.sections]


def texts(issue: ParsedIssue, index: int) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in issue.sections[index].paragraphs]


def marks(paragraph) -> list[tuple[str, str, str]]:
    return [(m.kind, paragraph.text[m.start : m.end], m.href) for m in paragraph.marks]
