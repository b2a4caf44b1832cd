"""What the templates show, built from models: templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from .models import Issue, Paragraph, Section
from .render import render_paragraph


@dataclass(frozen=True)
class ParagraphView:
    paragraph: Paragraph
    html: SafeString


@dataclass(frozen=True)
class SectionView:
    section: Section
    paragraphs: list[ParagraphView]


@dataclass(frozen=True)
class IssuePage:
    issue: Issue
    sections: list[SectionView]
    older: Issue | None
    newer: Issue | None


def section_view(section: Section) -> SectionView:
    return SectionView(
        section=section,
        paragraphs=[ParagraphView(p, render_paragraph(p.text, p.marks)) for p in section.paragraphs.all()],
    )


def issue_page(issue: Issue, *, older: Issue | None, newer: Issue | None) -> IssuePage:
    return IssuePage(
        issue=issue,
        sections=[section_view(s) for s in issue.sections.all()],
        older=older,
        newer=newer,
    )
