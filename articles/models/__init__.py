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
from .claims import ClaimDismissal
from .content import (
    Issue,
    Newsletter,
    Paragraph,
    ParagraphKind,
    Section,
    SectionKind,
    SourceFormat,
)
from .teams import Membership, Team

__all__ = [
    "AnchorReport", "AnchorStatus", "ClaimDismissal", "ClaimStatus", "Comment", "Highlight", "HighlightColour",
    "Issue", "Membership", "Mention", "Newsletter", "Note", "Paragraph", "ParagraphKind",
    "Section", "SectionKind", "SectionTag", "SourceFormat", "Tag", "Team", "Thread", "Visibility",
]
