"""What the search page prints: hits grouped by issue, then section in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString

from articles.models import DocumentKind, Paragraph, SearchDocument

from .query import ParsedQuery
from .snippets import snippet_html

LABELS = {
    DocumentKind.ISSUE: "Issue title",
    DocumentKind.SECTION: "Headline",
    DocumentKind.PARAGRAPH: "Paragraph",
    DocumentKind.HIGHLIGHT: "Highlight",
    DocumentKind.NOTE: "Note",
    DocumentKind.COMMENT: "Comment",
    DocumentKind.TAG: "Section tag",
}


@dataclass(frozen=True)
class SearchHit:
    kind: str
    label: str
    snippet: SafeString
    url: str
    author: str  # username for annotations, "" for newsletter text
    private: bool
    order: tuple  # reading order within the issue


@dataclass
class SectionGroup:
    title: str
    url: str
    hits: list[SearchHit] = field(default_factory=list)


@dataclass
class IssueGroup:
    title: str
    url: str
    newsletter: str
    number: int | None
    imported_at: object
    sections: list[SectionGroup] = field(default_factory=list)
    orphaned: bool = False  # annotations of a deleted issue, under its last title: on the orphans page


@dataclass(frozen=True)
class SearchResults:
    query: ParsedQuery
    groups: list[IssueGroup]
    count: int  # matches counted, up to a cap (``candidates.WINDOW``)
    limit: int
    more: bool = False  # more matches than ``count``

    @property
    def truncated(self) -> bool:
        return self.more or self.count > self.limit

    @property
    def count_label(self) -> str:
        """"12 matches", "1 match", "more than 1,000 matches"."""
        if self.more:
            return f"more than {self.count:,} matches"
        return f"{self.count:,} match" + ("" if self.count == 1 else "es")


# Where an orphan of a deleted issue is listed on the team's Orphaned annotations page
ORPHAN_ANCHORS = {DocumentKind.HIGHLIGHT: "orphan-highlight-{}", DocumentKind.NOTE: "orphan-note-{}",
                  DocumentKind.TAG: "orphan-section-tag-{}", DocumentKind.COMMENT: "orphan-threads"}


def _url(doc: SearchDocument) -> str:
    if doc.issue_id is None:
        return f"{reverse('articles:orphans')}#{ORPHAN_ANCHORS[doc.kind].format(doc.object_id)}"
    if doc.paragraph_id:
        return doc.issue.url_at(Paragraph.anchor_of(doc.paragraph_id))
    if doc.section_id and doc.section:
        return doc.issue.url_at(doc.section.anchor)
    return doc.issue.get_absolute_url()


def _hit(doc: SearchDocument, query: ParsedQuery) -> SearchHit:
    paragraph_position = doc.paragraph.position if doc.paragraph_id and doc.paragraph else -1
    section_position = doc.section.position if doc.section_id and doc.section else -1
    return SearchHit(
        kind=doc.kind,
        label=LABELS.get(doc.kind, doc.kind),
        snippet=snippet_html(doc.text, query),
        url=_url(doc),
        author=doc.author.get_username() if doc.author_id and doc.author else "",
        private=doc.visibility == "private",
        order=(section_position, paragraph_position, doc.kind != DocumentKind.SECTION, doc.pk),
    )


def results_build(docs: list[SearchDocument], query: ParsedQuery, *, limit: int, count: int | None = None,
                  more: bool = False) -> SearchResults:
    """Issues in the order of their best hit; inside an issue, sections and hits in reading order."""
    issues: dict[int | str, IssueGroup] = {}
    by_section: dict[int | str, dict[int | str | None, list[SearchHit]]] = {}
    issue_of = {doc.issue.pk: doc.issue for doc in docs if doc.issue_id}
    for doc in docs:
        if doc.issue_id is None:  # an orphan of a deleted issue: grouped by its snapshot
            key, section_key = f"orphan:{doc.issue_title}", f"orphan:{doc.section_headline}"
            if key not in issues:
                issues[key] = IssueGroup(f"{doc.issue_title or 'Untitled issue'} (deleted)", reverse("articles:orphans"), "", None,
                                         None, orphaned=True)
                by_section[key] = {}
            by_section[key].setdefault(section_key, []).append(_hit(doc, query))
            continue
        issue = doc.issue
        if issue.pk not in issues:
            issues[issue.pk] = IssueGroup(issue.title, issue.get_absolute_url(), issue.newsletter.name, issue.number,
                                          issue.imported_at)
            by_section[issue.pk] = {}
        by_section[issue.pk].setdefault(doc.section_id if doc.section else None, []).append(_hit(doc, query))
    sections = {doc.section_id: doc.section for doc in docs if doc.section_id and doc.section}
    for issue_id, group in issues.items():
        for section_id, hits in sorted(by_section[issue_id].items(), key=lambda kv: min(h.order for h in kv[1])):
            if group.orphaned:
                title, url = section_id.removeprefix("orphan:") or "Issue", group.url
            else:
                section = sections.get(section_id)
                title = (section.headline or section.get_kind_display()) if section else "Issue"
                url = issue_of[issue_id].url_at(section.anchor) if section else group.url
            group.sections.append(SectionGroup(title, url, sorted(hits, key=lambda h: h.order)))
    return SearchResults(query=query, groups=list(issues.values()), count=len(docs) if count is None else count, limit=limit, more=more)
