"""What is in these bytes? Container and document kind decided from content (pure, no Django).

The file name's extension is only a tie-breaker (``.md`` marks text without other signals as
Markdown); a ``.txt`` that holds an e-mail is read as an e-mail.
"""

from __future__ import annotations

import re

from .detect import looks_like_html
from .types import DOC_HTML, DOC_MARKDOWN, DOC_TEXT

# Containers
ZIP = "zip"
MBOX = "mbox"
EMAIL = "email"
FEED = "feed"
OTHER = "other"

_HEAD_BYTES = 8192

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_XML_DECL = re.compile(r"<\?xml\b.*?\?>", re.DOTALL | re.IGNORECASE)
_PI = re.compile(r"<\?.*?\?>", re.DOTALL)
# A DOCTYPE, with an internal subset [...] when there is one.
_DOCTYPE = re.compile(r"<!DOCTYPE\s+(?P<root>[^\s\[>]+)[^\[>]*(?:\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<(?P<name>[A-Za-z_][\w.:-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|meta|body|title|p|div|span|a|img|br|hr|table|center|style|"
    r"h[1-6]|ul|ol|section|article|header|main|blockquote|font)\b",
    re.IGNORECASE,
)

# RFC 822 header lines that start an e-mail message saved as a file.
_MAIL_HEADERS = {
    "received", "from", "return-path", "mime-version", "delivered-to", "subject", "date", "to",
    "message-id", "reply-to", "sender", "cc", "content-type", "content-transfer-encoding",
    "dkim-signature", "authentication-results", "list-id", "list-unsubscribe", "x-received",
    "arc-seal", "arc-message-signature", "arc-authentication-results", "received-spf",
    "x-google-smtp-source", "x-gm-message-state", "thread-topic", "thread-index", "precedence",
    "feedback-id", "x-mailer", "user-agent", "in-reply-to", "references", "envelope-to",
    "x-original-to", "x-apple-uuid", "x-mozilla-status", "x-mozilla-status2", "x-uid", "status",
}
_KEY_HEADERS = {"from", "subject", "date", "message-id", "received", "mime-version"}
_HEADER_LINE = re.compile(r"^(?P<field>[!-9;-~]+):[ \t]?")
_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:[^\n]*\n){0,100}?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w -]*:", re.MULTILINE)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_MD_BOLD = re.compile(r"(?<![*\w])\*\*[^*\n]+?\*\*(?![*\w])")
_MD_LINK = re.compile(r"\[[^\]\n]+\]\(\s*https?://[^)\s]+[^)]*\)")


def _text_head(raw: bytes) -> str:
    """The start of ``raw`` as text, for sniffing (UTF-16 by its BOM, else UTF-8 leniently)."""
    head = raw[: _HEAD_BYTES * 2]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").replace("\x00", "")


def strip_prolog(text: str) -> str:
    """``text`` without leading whitespace, comments, ``<?xml?>``/processing instructions."""
    while True:
        text = text.lstrip()
        for pattern in (_COMMENT, _XML_DECL, _PI):
            match = pattern.match(text)
            if match:
                text = text[match.end():]
                break
        else:
            return text


def xml_root(text: str) -> tuple[str, bool]:
    """(root element name lower-cased, whether there was an ``<?xml`` declaration)."""
    stripped = text.lstrip()
    had_decl = stripped[:5].lower() == "<?xml"
    rest = strip_prolog(stripped)
    doctype = _DOCTYPE.match(rest)
    if doctype:
        rest = strip_prolog(rest[doctype.end():])
    root = _ROOT.match(rest)
    if root:
        return root["name"].lower(), had_decl
    if doctype:
        return doctype["root"].lower(), had_decl
    return "", had_decl


def looks_like_feed(text: str) -> bool:
    """An RSS/Atom/RDF document (or an XML document that is not XHTML, to be refused by name)."""
    root, had_decl = xml_root(text)
    if root in _FEED_ROOTS:
        return True
    return had_decl and root not in ("html", "")


def looks_like_mail_headers(text: str) -> bool:
    """Whether ``text`` starts with an RFC 822 header block (a saved e-mail message)."""
    lines = text.lstrip("\n").split("\n", 200)[:200]
    fields: list[str] = []
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            break
        if line[0] in " \t" and fields:
            continue  # folded continuation
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        fields.append(match["field"].lower())
    if not fields or fields[0] not in _MAIL_HEADERS and not fields[0].startswith("x-"):
        return False
    known = set(fields) & _MAIL_HEADERS
    return len(known) >= 2 and bool(known & _KEY_HEADERS)


def sniff_container(raw: bytes, name: str = "") -> str:
    """ZIP, MBOX, EMAIL, FEED or OTHER, from the bytes (``name`` is not consulted)."""
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if _MBOX_FROM.match(body):
        rest = body[_MBOX_FROM.match(body).end():]
        if looks_like_mail_headers(_text_head(rest)):
            return MBOX
    head = _text_head(raw)
    if looks_like_mail_headers(head):
        return EMAIL
    if looks_like_feed(head):
        return FEED
    return OTHER


def looks_like_html_document(text: str) -> bool:
    """HTML by its start (after comments, an XML declaration and a DOCTYPE)."""
    if looks_like_html(text):
        return True
    rest = strip_prolog(text)
    return bool(_HTML_TAG.match(rest))


def looks_like_markdown(text: str, name: str = "") -> bool:
    """YAML front matter, a ``# `` heading, ``**bold**`` or ``[text](http…)``; else the name.

    Leading ``- `` bullet lines alone are not a Markdown signal: plain-text newsletters copied
    from a web page start that way.
    """
    front = _FRONT_MATTER.match(text)
    if front and _FRONT_MATTER_KEY.search(front.group()):
        return True
    if _MD_HEADING.search(text) or _MD_BOLD.search(text) or _MD_LINK.search(text):
        return True
    return name.lower().endswith((".md", ".markdown", ".mdown", ".mkd"))


def classify_text(text: str, name: str = "") -> str:
    """DOC_HTML, DOC_MARKDOWN or DOC_TEXT for decoded ``text`` (the name only breaks ties)."""
    if looks_like_html_document(text):
        return DOC_HTML
    if looks_like_markdown(text, name):
        return DOC_MARKDOWN
    return DOC_TEXT
