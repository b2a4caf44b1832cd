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
from .connect import IssueReference, RelatedStory, StoryVector
from .content import (
    Issue,
    Newsletter,
    NewsletterIdentity,
    Paragraph,
    ParagraphKind,
    Section,
    SectionKind,
    SourceFormat,
)
from .demo import DemoStep
from .reading import FeedVisit, IssueRead
from .search import DocumentKind, SearchDocument
from .sources import Feed, ImportJob, ImportJobFile, ScheduledRun
from .teams import Membership, Team

__all__ = [
    "AnchorReport", "AnchorStatus", "ClaimDismissal", "ClaimStatus", "Comment", "DemoStep", "DocumentKind",
    "Feed", "FeedVisit", "ImportJob", "ImportJobFile", "ScheduledRun", "NewsletterIdentity", "Highlight", "HighlightColour", "Issue", "IssueRead", "IssueReference", "Membership", "Mention",
    "Newsletter", "Note", "Paragraph", "ParagraphKind", "RelatedStory", "SearchDocument", "Section", "SectionKind",
    "SectionTag", "SourceFormat", "StoryVector", "Tag", "Team", "Thread", "Visibility",
]
