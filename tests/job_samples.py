"""Invented sample newsletters for the job, scheduler, mail and browser tests (no real text)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

TOPICS = [
    ("Teapot Transformers", "A lab trained a model that predicts when the kettle will boil."),
    ("Sparse Ducks", "Researchers pruned a duck-recognition network to a tenth of its size."),
    ("The Mirror Benchmark", "A new benchmark asks models to describe their own reflections."),
    ("Robots in the Orchard", "Apple-picking arms learned to leave the unripe fruit alone."),
    ("Quiet GPUs", "A data centre cooled its accelerators with a pond and some fans."),
    ("Tiny Translators", "A phone-sized model translated recipes between nine languages."),
    ("Weather for Bees", "A forecasting model for hives warned keepers before cold snaps."),
    ("Lantern Protocol", "Two agents negotiated the price of lanterns for a village fair."),
    ("Chalkboard Proofs", "A prover checked the algebra homework of a whole school."),
    ("Glacier Maps", "Satellite images and a segmentation model mapped retreating ice."),
]


def issue_text(n: int) -> str:
    """The ``n``-th invented issue in the Import AI text layout (the format the importer reads
    today): first line "Import AI <number>: <title>", stories with headlines ending in ':'."""
    title, lead = TOPICS[n % len(TOPICS)]
    return (
        f"Import AI {9000 + n}: {title}\n"
        f"An invented issue for the tests, number {n}\n"
        f"Welcome to issue {n} of a newsletter that exists only in this test suite.\n"
        f"{title}:\n"
        f"…A short dek for story {n}…\n"
        f"{lead} This paragraph belongs to invented issue {n}.\n"
        f"Why this matters: nothing, it is a test fixture number {n}.\n"
        "***\n"
        f"Odds and ends {n}:\n"
        f"…Second dek {n}…\n"
        f"A second story so issue {n} has more than one section.\n"
        "Thanks for reading!\n"
    )


def sample_files(count: int = 6) -> list[tuple[str, bytes]]:
    """``count`` small invented issues named .md, .txt and .text in turn."""
    suffixes = ["md", "txt", "text"]
    return [(f"gazette-{n}.{suffixes[n % 3]}", issue_text(n).encode()) for n in range(1, count + 1)]


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def newsletter_message(n: int, *, sender: str = "The Gazette <gazette@letters.example>") -> EmailMessage:
    """A Substack-style newsletter e-mail (text and HTML alternatives), invented."""
    title, lead = TOPICS[n % len(TOPICS)]
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "digest@team.example"
    msg["Subject"] = f"The Gazette of Gadgets #{n}: {title}"
    msg["Date"] = format_datetime(datetime(2026, 11, 1 + n % 28, 8, 0, tzinfo=UTC))
    msg["Message-ID"] = f"<gazette-{n}-{title.replace(' ', '-').lower()}@letters.example>"
    msg["List-Unsubscribe"] = "<https://letters.example/unsubscribe>"
    msg.set_content(issue_text(n) + "\nUnsubscribe: https://letters.example/unsubscribe\n")
    return msg


def forwarded_message() -> EmailMessage:
    """A newsletter forwarded from Gmail by a team member (invented)."""
    msg = EmailMessage()
    msg["From"] = "Alice Example <alice@team.example>"
    msg["To"] = "digest@team.example"
    msg["Subject"] = "Fwd: Lantern Letter 12: Lanterns and language models"
    msg["Date"] = format_datetime(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    msg["Message-ID"] = "<fwd-lantern-12@mail.team.example>"
    msg.set_content(
        "Worth a read for Thursday.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Lantern Letter <hello@lantern.example>\n"
        "Date: Wed, Nov 18, 2026 at 7:00 AM\n"
        "Subject: Lantern Letter 12: Lanterns and language models\n"
        "To: <alice@team.example>\n\n"
        + issue_text(77)
    )
    return msg


def no_text_message() -> EmailMessage:
    """A message with no text part at all: only an image attachment (invented)."""
    msg = EmailMessage()
    msg["From"] = "Someone <someone@elsewhere.example>"
    msg["To"] = "digest@team.example"
    msg["Subject"] = "Photo only"
    msg["Message-ID"] = "<photo-only@elsewhere.example>"
    msg.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, maintype="image", subtype="png", filename="pixel.png")
    return msg


def mbox_of(messages: list[EmailMessage]) -> bytes:
    """An mbox file holding ``messages`` ("From " lines quoted as mboxrd does)."""
    out = []
    for msg in messages:
        body = msg.as_bytes().replace(b"\nFrom ", b"\n>From ")
        out.append(b"From MAILER-DAEMON Mon Nov  2 08:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)
