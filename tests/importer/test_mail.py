"""E-mail messages → Documents: bodies, charsets, metadata, forwards, mbox (pure, no database).

Every sample newsletter here is invented.
"""

import base64
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.importer.dates import parse_date
from articles.importer.items import message_document, split_items
from articles.importer.mail import split_mbox, unwrap_forward_text, view_online_url
from articles.importer.types import DOC_HTML, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta

SAMPLES = Path(__file__).parent / "samples"
EST = timezone(timedelta(hours=-5))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def only_document(name: str, raw: bytes) -> Document:
    items = list(split_items(name, raw))
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def test_substack_style_email():
    doc = only_document("kite.eml", sample("substack.eml"))
    assert doc.name == "kite.eml"
    assert doc.kind == DOC_HTML
    assert doc.meta == SourceMeta(
        newsletter="Mara Vell from The Paper Kite",
        newsletter_key="list:paperkite.substack.example",
        title="The Paper Kite 12: Gliders, gradients — and glue",
        published_at=datetime(2026, 11, 3, 9, 1, tzinfo=EST),
        url="https://paperkite.substack.example/p/gliders?utm_source=email&s=1",
        guid="message-id:20261103140100.3f2a.paperkite@substack.example",
    )
    assert doc.meta.published_at == datetime(2026, 11, 3, 14, 1, tzinfo=UTC)
    # quoted-printable decoded (soft breaks joined, =3D, UTF-8 sequences)
    assert '<div class="preheader">' in doc.body
    assert "Today we don’t fly; we glide — café optional.</p>" in doc.body
    assert "=E2" not in doc.body and "=\n" not in doc.body and "\r" not in doc.body
    assert doc.encoding == "utf-8" and doc.notes == ()


def test_message_document_is_the_mailbox_channel_entry_point():
    doc = message_document(sample("substack.eml"), name="inbox: message 1")
    assert doc.name == "inbox: message 1"
    assert doc.meta.newsletter_key == "list:paperkite.substack.example"


def test_detected_from_content_whatever_the_extension():
    doc = only_document("saved-message.txt", sample("substack.eml"))
    assert doc.kind == DOC_HTML and doc.meta.guid.startswith("message-id:")


def test_gmail_forward_is_unwrapped():
    doc = only_document("fwd.eml", sample("gmail_forward.eml"))
    assert doc.kind == DOC_HTML
    assert doc.meta == SourceMeta(
        newsletter="Lattice Notes",
        newsletter_key="email:editor@lattice-notes.example",
        title="Lattice Notes 7: Small models, big tables",
        published_at=datetime(2026, 11, 3, 9, 1, tzinfo=UTC),
        url="https://lattice-notes.example/7",
        guid="message-id:CAfwd123+abc@mail.gmail.example",
    )
    assert doc.body == (
        '<div><a href="https://lattice-notes.example/7">View online</a><h1>Lattice Notes 7</h1>'
        "<p>Small models are eating big tables.</p></div>\n"
    )
    assert "FYI team" not in doc.body and "Forwarded message" not in doc.body
    assert "sam.reader" not in doc.body
    assert doc.notes == ("forwarded message: the original sender, date and subject are used",)


def test_gmail_forward_text_only():
    raw = sample("gmail_forward.eml")
    # keep only the text/plain alternative
    head, rest = raw.split(b"--000000000000fwdb\n", 1)
    text_part = rest.split(b"--000000000000fwdb\n", 1)[0]
    raw = head + b"--000000000000fwdb\n" + text_part + b"--000000000000fwdb--\n"
    doc = only_document("fwd.eml", raw)
    assert doc.kind == DOC_TEXT
    assert doc.meta.newsletter == "Lattice Notes"
    assert doc.meta.newsletter_key == "email:editor@lattice-notes.example"
    assert doc.meta.title == "Lattice Notes 7: Small models, big tables"
    assert doc.meta.published_at == datetime(2026, 11, 3, 9, 1, tzinfo=UTC)
    assert doc.meta.url == "https://lattice-notes.example/7"
    assert doc.body == (
        "Lattice Notes 7\nSmall models are eating big tables.\nRead online: https://lattice-notes.example/7\n"
    )


def test_apple_mail_forward_is_unwrapped():
    doc = only_document("owls.eml", sample("apple_forward.eml"))
    assert doc.kind == DOC_HTML
    assert doc.meta.newsletter == "Night Shift Digest"
    assert doc.meta.newsletter_key == "email:hello@nightshift.example"
    assert doc.meta.title == "Night Shift Digest: Owls at scale"
    assert doc.meta.published_at == datetime(2026, 11, 3, 21, 1, tzinfo=EST)
    assert doc.meta.guid == "message-id:F00D-1234@icloud.example"
    assert doc.body.startswith("<div><p>Owls now work at scale.</p><p>Every night.</p></div>")
    assert "Have a look" not in doc.body and "Begin forwarded" not in doc.body
    assert "ana@icloud.example" not in doc.body


OUTLOOK = b"""\
From: Bo Forwarder <bo@corp.example>
To: digest-inbox@digest.example
Subject: FW: Quiet Compute #88
Date: Thu, 5 Nov 2026 10:00:00 +0000
Message-ID: <outlook-88@corp.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Please file this.

-----Original Message-----
From: Quiet Compute [mailto:news@quietcompute.example]
Sent: Wednesday, November 4, 2026 6:30 PM
To: Bo Forwarder <bo@corp.example>
Subject: Quiet Compute #88

Quiet Compute #88
Fans are loud; we are not.
"""


def test_outlook_forward_is_unwrapped():
    doc = only_document("fw.eml", OUTLOOK)
    assert doc.kind == DOC_TEXT
    assert doc.meta.newsletter == "Quiet Compute"
    assert doc.meta.newsletter_key == "email:news@quietcompute.example"
    assert doc.meta.title == "Quiet Compute #88"
    assert doc.meta.published_at == datetime(2026, 11, 4, 18, 30, tzinfo=UTC)
    assert doc.body == "Quiet Compute #88\nFans are loud; we are not.\n"


def test_list_delivered_newsletter_quoting_a_forward_is_not_unwrapped():
    raw = OUTLOOK.replace(b"Subject: FW: Quiet Compute #88\n", b"Subject: Letters 5\nList-Id: <letters.example>\n", 1)
    doc = only_document("letters.eml", raw)
    assert doc.meta.newsletter == "Bo Forwarder" and doc.meta.newsletter_key == "list:letters.example"
    assert doc.meta.title == "Letters 5"
    assert doc.body.startswith("Please file this.\n\n-----Original Message-----\n")


def test_forward_markers_only_count_with_a_header_block():
    text = "Notes\n-----Original Message-----\nnot a header block\n"
    assert unwrap_forward_text(text) is None


MBOX = b"""\
From paperkite@substack.example Tue Nov  3 14:01:07 2026
From: The Paper Kite <paperkite@substack.example>
Subject: Kite 1: Launch
Date: Tue, 03 Nov 2026 09:01:00 +0000
Message-ID: <kite-1@substack.example>
Content-Type: text/plain; charset=utf-8

First issue.
>From the archive: an escaped line.
>>From stays escaped once.

From paperkite@substack.example Tue Nov 10 14:01:07 2026
From: The Paper Kite <paperkite@substack.example>
Subject: Kite 2: Landing
Date: Tue, 10 Nov 2026 09:01:00 +0000
Message-ID: <kite-2@substack.example>
Content-Type: text/html; charset=utf-8

<p>Second issue.</p>
"""


def test_mbox_yields_one_document_per_message():
    items = list(split_items("box.mbox", MBOX))
    assert [type(i) for i in items] == [Document, Document]
    first, second = items
    assert first.name == "box.mbox #1: Kite 1: Launch"
    assert second.name == "box.mbox #2: Kite 2: Landing"
    assert (first.kind, second.kind) == (DOC_TEXT, DOC_HTML)
    assert first.body == "First issue.\nFrom the archive: an escaped line.\n>From stays escaped once.\n"
    assert second.body == "<p>Second issue.</p>\n"
    assert first.meta.newsletter_key == "email:paperkite@substack.example"
    assert first.meta.guid == "message-id:kite-1@substack.example"
    assert second.meta.published_at == datetime(2026, 11, 10, 9, 1, tzinfo=UTC)


def test_mbox_from_line_inside_a_body_does_not_split():
    raw = MBOX.replace(b"First issue.\n", b"First issue.\nFrom here on, unescaped.\n")
    assert len(split_mbox(raw)) == 2


def test_mbox_bad_message_does_not_stop_the_others():
    image_only = (
        b"From x@example.com Tue Nov  3 00:00:00 2026\n"
        b"From: Pics <x@example.com>\nSubject: Just a picture\nMessage-ID: <p@x>\n"
        b"MIME-Version: 1.0\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(64)) + b"\n\n"
    )
    items = list(split_items("box.mbox", image_only + MBOX))
    assert items[0] == ItemFailure("box.mbox #1: Just a picture", "message has no text or HTML part")
    assert [i.name for i in items[1:]] == ["box.mbox #2: Kite 1: Launch", "box.mbox #3: Kite 2: Landing"]


IMAGE_ONLY = b"""\
From: Pics <pics@example.com>
To: reader@example.org
Subject: A picture
Date: Tue, 03 Nov 2026 09:01:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: image/png; name="kite.png"
Content-Disposition: attachment; filename="kite.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
--b1--
"""


def test_message_with_only_an_image_is_a_failure():
    assert list(split_items("pic.eml", IMAGE_ONLY)) == [ItemFailure("pic.eml", "message has no text or HTML part")]
    with pytest.raises(ParseError, match="message has no text or HTML part"):
        message_document(IMAGE_ONLY, name="pic.eml")


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252"])
def test_base64_single_byte_text_plain(charset):
    text = "Caf\u00e9 notes \u2014 na\u00efve \u201cquotes\u201d\r\nSecond line\r\n"
    payload = base64.encodebytes(text.encode("cp1252"))
    raw = (
        "From: =?iso-8859-1?q?Ren=E9_Dupr=E9?= <rene@cafe.example>\n"
        "Subject: =?iso-8859-1?b?Q2Fm6SBub3Rlcw==?=\n"
        "Date: Mon, 2 Nov 2026 10:00:00 -0500 (EST)\n"
        f"Content-Type: text/plain; charset={charset}\n"
        "Content-Transfer-Encoding: base64\n\n"
    ).encode("ascii") + payload
    doc = only_document("cafe.eml", raw)
    assert doc.kind == DOC_TEXT
    assert doc.body == "Caf\u00e9 notes \u2014 na\u00efve \u201cquotes\u201d\nSecond line\n"
    assert doc.encoding == "cp1252"
    assert doc.notes == ("not valid UTF-8; decoded as cp1252",)
    assert doc.meta.newsletter == "René Dupré"
    assert doc.meta.newsletter_key == "email:rene@cafe.example"
    assert doc.meta.title == "Café notes"
    assert doc.meta.published_at == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    assert doc.meta.guid == ""


def test_undecoded_quoted_printable_is_repaired_and_archived_at_is_the_url():
    raw = (
        b"From: Tin Can <tin@can.example>\nSubject: Can 3\n"
        b"Archived-At: <https://can.example/3>\nList-Post: <mailto:list@can.example>\n"
        b"Content-Type: text/plain; charset=utf-8\n\n"
        b"We don=E2=80=99t stop =E2=80=94 ever, a long line that wraps=\n here.\n"
    )
    doc = only_document("can.eml", raw)
    assert doc.body == "We don’t stop — ever, a long line that wraps here.\n"
    assert doc.meta.url == "https://can.example/3"
    assert doc.meta.published_at is None


def test_list_post_http_is_the_url_when_no_view_online_link():
    raw = (
        b"From: Tin Can <tin@can.example>\nSubject: Can 4\nList-Id: <CAN.example>\n"
        b"List-Post: <https://can.example/4>\nContent-Type: text/html\n\n<p>Body</p>\n"
    )
    doc = only_document("can.eml", raw)
    assert doc.meta.url == "https://can.example/4"
    assert doc.meta.newsletter_key == "list:can.example"


def test_view_online_link_must_be_http():
    html = '<a href="javascript:alert(1)">View in browser</a><a href="https://x.example/a">Read in app</a>'
    assert view_online_url(html, is_html=True) == "https://x.example/a"
    assert view_online_url('<a href="https://x.example/">Unsubscribe</a>', is_html=True) == ""


def test_headers_only_is_not_a_message_body():
    with pytest.raises(ParseError, match="no text or HTML part|empty"):
        message_document(b"From: a@b.example\nSubject: x\nContent-Type: text/plain\n\n", name="x.eml")


def test_not_a_message():
    with pytest.raises(ParseError, match="no headers"):
        message_document(b"\n\njust some words\n", name="x.eml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, Nov 3, 2026 at 9:01 AM", datetime(2026, 11, 3, 9, 1, tzinfo=UTC)),
        ("Tue, Nov 3, 2026 at 9:01 PM", datetime(2026, 11, 3, 21, 1, tzinfo=UTC)),
        ("Sun, Nov 1, 2026 at 12:05 AM", datetime(2026, 11, 1, 0, 5, tzinfo=UTC)),
        ("November 3, 2026 at 9:01:00 AM EST", datetime(2026, 11, 3, 9, 1, tzinfo=EST)),
        ("3 November 2026 at 09:01:00 GMT+1", datetime(2026, 11, 3, 9, 1, tzinfo=timezone(timedelta(hours=1)))),
        ("Wednesday, November 4, 2026 6:30 PM", datetime(2026, 11, 4, 18, 30, tzinfo=UTC)),
        ("Tue, 03 Nov 2026 09:01:00 +0100", datetime(2026, 11, 3, 9, 1, tzinfo=timezone(timedelta(hours=1)))),
        ("Tue, 03 Nov 2026 09:01:00", datetime(2026, 11, 3, 9, 1, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    value = parse_date(text)
    assert value == expected
    if value is not None:
        assert value.tzinfo is not None and value.utcoffset() == expected.utcoffset()


def test_forward_as_attachment_uses_the_attached_message():
    attached = (SAMPLES / "substack.eml").read_bytes()
    raw = (
        b"From: Sam Reader <sam@example.org>\nSubject: Fwd: The Paper Kite 12\nMessage-ID: <outer@example.org>\n"
        b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
        b"--outer\nContent-Type: text/plain\n\nSee attached.\n"
        b"--outer\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
        + attached + b"\n--outer--\n"
    )
    doc = only_document("attached.eml", raw)
    assert doc.kind == DOC_HTML and "See attached" not in doc.body
    assert doc.meta.newsletter_key == "list:paperkite.substack.example"
    assert doc.meta.guid == "message-id:20261103140100.3f2a.paperkite@substack.example"
