"""Small synthetic Import AI issues for the connect tests (references between them)."""

from __future__ import annotations


def issue_source(number: int, body: str, *, headline: str = "Robots learn to sort buttons") -> bytes:
    """An Import AI plain-text issue ``number`` whose first story's paragraph is ``body``."""
    return f"""Import AI {number}: Issue number {number}; and a tale
A subtitle
Welcome to Import AI, a newsletter about AI research.
{headline}:
…A dek for the first story…
{body}
Why this matters: Cheap robots that learn quickly will show up in many kitchens by 2030, I expect.
***
Kettles get benchmarks:
…Second dek…
KettleBench has 500 questions about tea and the best model scores 81.2 on it.
Thanks for reading!
""".encode()
