"""The kinds of things an issue is made of, as stored values: one declaration for the importer,
the claim finder and the model choices (``articles.models.content``). Pure: no Django.

Each group is a tuple of ``(value, label)`` pairs, in the order the model choices list them; the
constants are the stored values.
"""

from __future__ import annotations

# Section kinds (Section.kind)
INTRO = "intro"
STORY = "story"
TECH_TALE = "tech_tale"  # fiction: never gets claim suggestions
READER_COMMENTS = "reader_comments"
SECTION_KINDS = (
    (INTRO, "Intro"),
    (STORY, "Story"),
    (TECH_TALE, "Tech Tale"),
    (READER_COMMENTS, "Reader comments"),
)

# Paragraph kinds (Paragraph.kind)
TEXT = "text"
SOURCE = "source"  # "Read more: …", "Read the research: …", "Get …"
LIST_ITEM = "list_item"
QUOTE = "quote"
PARAGRAPH_KINDS = (
    (TEXT, "Text"),
    (SOURCE, "Source"),
    (LIST_ITEM, "List item"),
    (QUOTE, "Quotation"),
)

# Mark kinds: character ranges over a paragraph's text (Paragraph.marks[*]["kind"])
LINK = "link"
STRONG = "strong"  # bold lead-ins such as "Why this matters:"
EMPHASIS = "em"
MARK_KINDS = (LINK, STRONG, EMPHASIS)

# Source formats: which extractor made the issue (Issue.source_format)
IMPORTAI_TEXT = "importai_text"
IMPORTAI_HTML = "importai_html"
FORWARD_FUTURE = "forward_future"
GENERIC_TEXT = "text"
GENERIC_MARKDOWN = "markdown"
GENERIC_HTML = "html"
SOURCE_FORMATS = (
    (IMPORTAI_TEXT, "Import AI plain text"),
    (IMPORTAI_HTML, "Import AI Substack HTML"),
    (FORWARD_FUTURE, "Forward Future post"),
    (GENERIC_TEXT, "Plain text"),
    (GENERIC_MARKDOWN, "Markdown"),
    (GENERIC_HTML, "HTML page or e-mail"),
)

# Where claim suggestions are never shown (articles.claims.suggests_claims)
NO_CLAIMS_SECTION_KINDS = frozenset({TECH_TALE})
NO_CLAIMS_PARAGRAPH_KINDS = frozenset({SOURCE})

# Annotation kinds: what a team adds to an issue. Every feature that handles annotations keeps a
# registry keyed by these values, and tests/test_annotation_kinds.py checks each covers them all:
# the search index (articles.search.indexing.DOCUMENT_BUILDERS), the reader exports
# (articles.selectors.export.EXPORT_SECTIONS and the formatters' SECTION_WRITERS) and the team
# archive (articles.backup.archive_export.ARCHIVE_SECTIONS). Threads are not a kind of their own:
# they hold comments.
HIGHLIGHT = "highlight"
NOTE = "note"
COMMENT = "comment"
SECTION_TAG = "section_tag"
ANNOTATION_KINDS = (HIGHLIGHT, NOTE, COMMENT, SECTION_TAG)
