"""Models: content (newsletters → paragraphs), teams, annotations."""

from .annotations import (
    AnchorReport,
    AnchorStatus,
    ClaimStatus,
    Comment,
    Highlight,
    HighlightColour,
    Mention,
    Note,
    SectionTag,
    Tag,
    Thread,
    Visibility,
)
from .content import (
    Issue,
    Newsletter,
    Paragraph,
    ParagraphKind,
    Section,
    SectionKind,
    SourceFormat,
)
from .search import ANNOTATION_KINDS, DocumentKind, SearchDocument
from .teams import Membership, Team

__all__ = [
    "ANNOTATION_KINDS", "AnchorReport", "AnchorStatus", "ClaimStatus", "Comment", "DocumentKind", "Highlight", "HighlightColour",
    "Issue", "Membership", "Mention", "Newsletter", "Note", "Paragraph", "ParagraphKind",
    "SearchDocument", "Section", "SectionKind", "SectionTag", "SourceFormat", "Tag", "Team", "Thread", "Visibility",
]
