"""Markdown export: pastes cleanly into Obsidian or Logseq.

Layout of one issue (headings one level deeper in the team export, under the team's title)::

    # Issue title
    Newsletter #7 · <issue URL>

    ## Section headline
    Tags: #robots #tea-time

    > the highlighted quote

    **alice** · 2025-05-01 · claim: disputed · #claims #robots

    The highlight's note (Markdown source).

    - **bob** · 2025-05-02 10:00
      comment body
      - **alice** · 2025-05-02 11:00
        reply body

    ### Notes
    - > “First words of the paragraph…”

        **alice** · 2025-05-01 · private

        note body

    ### Discussion
    - **alice** · … (the section's thread)

What is said about a quote (author, day, status, tags) never follows it on the next line: a
CommonMark reader (Obsidian, Logseq, any renderer) would continue the quote there ("lazy
continuation"), so a blank line ends the quote first; a note's lines sit four spaces deep in its
list item, which CommonMark and Python-Markdown both keep inside the item. No line of ours starts
with ``#`` (a heading to Python-Markdown) except headings.

User text is written as its Markdown source, unchanged: it was written as Markdown for people
who read it as Markdown, and escaping it would garble links and emphasis.
"""

from __future__ import annotations

import datetime
import re

from articles import kinds

from .types import (
    ExportComment,
    ExportDocument,
    ExportHighlight,
    ExportIssue,
    ExportNote,
    ExportSection,
    ExportThread,
)

PARAGRAPH_QUOTE_CHARS = 80
NOTE_INDENT = "    "  # a note's lines in its list item: deep enough for CommonMark and Python-Markdown
_TAG_UNSAFE = re.compile(r"[^\w/-]+")


def tag_markdown(name: str) -> str:
    """``#tag`` as Obsidian/Logseq read it: spaces → hyphens, no punctuation."""
    return "#" + (_TAG_UNSAFE.sub("", "-".join(name.split())) or "tag")


def document_markdown(doc: ExportDocument, *, team_wide: bool) -> str:
    lines: list[str] = []
    if team_wide:
        lines += [f"# {_one_line(doc.title)}", "", f"Exported {_day(doc.generated)} by {doc.requested_by}.", ""]
        if not doc.issues:
            lines += ["No annotations yet.", ""]
    for issue in doc.issues:
        lines += issue_markdown(issue, level=2 if team_wide else 1)
    if not team_wide and not doc.issues:
        lines += [f"# {_one_line(doc.title)}", "", "No annotations yet.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def issue_markdown(issue: ExportIssue, *, level: int = 1) -> list[str]:
    h = "#" * level
    number = f" #{issue.number}" if issue.number else ""
    lines = [f"{h} {_one_line(issue.title)}", "", f"{issue.newsletter}{number} · <{issue.url}>", ""]
    for section in issue.sections:
        lines += _section(section, level + 1)
    return lines


def _section(section: ExportSection, level: int) -> list[str]:
    lines = [f"{'#' * level} {_one_line(section.title)}", ""]
    if section.id is not None:  # the orphans group has no place of its own
        lines += [f"<{section.url}>", ""]
    for write in SECTION_WRITERS.values():
        lines += write(section, level)
    return lines


def _section_tags(section: ExportSection, level: int) -> list[str]:
    return ["Tags: " + " ".join(tag_markdown(t) for t in section.tags), ""] if section.tags else []


def _highlights(section: ExportSection, level: int) -> list[str]:
    """Each highlight with its note and the comments of its thread."""
    return [line for highlight in section.highlights for line in _highlight(highlight)]


def _notes(section: ExportSection, level: int) -> list[str]:
    if not section.notes:
        return []
    lines = [f"{'#' * (level + 1)} Notes", ""]
    for note in section.notes:
        lines += _note(note)  # each ends with a blank line
    return lines


def _discussion(section: ExportSection, level: int) -> list[str]:
    """The section's own thread (a highlight's comes with the highlight)."""
    if not (section.thread and section.thread.comments):
        return []
    heading = f"{'#' * (level + 1)} Discussion" + (" (resolved)" if section.thread.resolved else "")
    return [heading, "", *_thread(section.thread), ""]


# What each annotation kind (articles.kinds.ANNOTATION_KINDS) writes in a section, in this order.
SECTION_WRITERS = {
    kinds.SECTION_TAG: _section_tags,
    kinds.HIGHLIGHT: _highlights,
    kinds.NOTE: _notes,
    kinds.COMMENT: _discussion,
}


def _highlight(hl: ExportHighlight) -> list[str]:
    lines = [_quote(hl.exact)]
    meta = [tag_markdown(t) for t in hl.tags]
    meta_text = " ".join(meta)
    details = [hl.author, _day(hl.created)]
    if hl.is_claim:
        claim = f"claim: {hl.claim_status.replace('_', ' ')}"
        if hl.due_date:
            claim += f" (due {hl.due_date.isoformat()})"
        details.append(claim)
    if hl.visibility == "private":
        details.append("private")
    if hl.paragraph_id is None:
        details.append("orphaned")
    details[0] = f"**{hl.author}**"
    lines += ["", " · ".join(details + ([meta_text] if meta_text else [])), ""]
    if hl.note:
        lines += [hl.note, ""]
    if hl.thread and hl.thread.comments:
        if hl.thread.resolved:
            lines += ["*Discussion (resolved):*", ""]
        lines += _thread(hl.thread) + [""]
    return lines


def _note(note: ExportNote) -> list[str]:
    text = _one_line(note.paragraph_text)
    if len(text) > PARAGRAPH_QUOTE_CHARS:
        text = text[: PARAGRAPH_QUOTE_CHARS - 1].rstrip() + "…"
    details = [f"**{note.author}**", _day(note.created)]
    if note.visibility == "private":
        details.append("private")
    if note.paragraph_id is None:
        details.append("orphaned")
    body = _indent(note.body, NOTE_INDENT)
    return [f"- > “{text}”", "", NOTE_INDENT + " · ".join(details), *([""] + body if body else []), ""]


def _thread(thread: ExportThread) -> list[str]:
    lines: list[str] = []
    for comment in thread.comments:
        lines += _comment(comment, "")
        for reply in comment.replies:
            lines += _comment(reply, "  ")
    return lines


def _comment(comment: ExportComment, indent: str) -> list[str]:
    head = f"{indent}- **{comment.author}** · {_minute(comment.created)}"
    if comment.deleted:
        return [f"{indent}- *(deleted comment)*"]
    return [head, *_indent(comment.body, indent + "  ")]


def _indent(text: str, prefix: str) -> list[str]:
    return [f"{prefix}{line}" if line.strip() else "" for line in text.splitlines()]


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _day(moment: datetime.datetime) -> str:
    return moment.date().isoformat()


def _minute(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
