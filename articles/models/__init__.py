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
from .reading import FeedVisit, IssueRead
from .teams import Membership, Team

__all__ = [
    "AnchorReport", "AnchorStatus", "FeedVisit", "IssueRead", "ClaimStatus", "Comment", "Highlight", "HighlightColour",
    "Issue", "Membership", "Mention", "Newsletter", "Note", "Paragraph", "ParagraphKind",
    "Section", "SectionKind", "SectionTag", "SourceFormat", "Tag", "Team", "Thread", "Visibility",
]
