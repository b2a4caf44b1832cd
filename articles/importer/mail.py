"""E-mail messages (.eml, mbox members, mailbox deliveries) → :class:`Document`. Pure, no Django.

Rules (see :func:`message_document`):

* body: the text/html part, else text/plain (DOC_HTML / DOC_TEXT, never Markdown), decoded from
  its transfer encoding and declared charset (cp1252 fallback), normalised like decode_source;
* metadata: newsletter = From display name, newsletter_key = ``list:<List-Id>`` else
  ``email:<from address>``, title = Subject, published_at = Date, guid = ``message-id:<id>``,
  url = the "View in browser" link of the HTML, else List-Post / Archived-At;
* forwarded newsletters (Gmail, Apple Mail, Outlook) are unwrapped: the metadata come from the
  original sender/date/subject and the body is only the forwarded part.
"""

from __future__ import annotations

import email
import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

from .charset import decode_with_charset
from .dates import aware, parse_date
from .decode import MAX_BYTES
from .types import DOC_HTML, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta

#: A saved message may carry attachments; only its text body is held to MAX_BYTES.
MAX_MESSAGE_BYTES = 50 * 1024 * 1024
#: An mbox file as a whole (each message is also held to MAX_MESSAGE_BYTES).
MAX_MBOX_BYTES = 200 * 1024 * 1024

NO_TEXT_PART = "message has no text or HTML part"

_FWD_PREFIX = re.compile(r"^\s*(?:(?:fwd?|fw)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_HTTP = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


# --------------------------------------------------------------------------- small helpers

def strip_forward_prefix(subject: str) -> str:
    """``Fwd: FW: Title`` → ``Title``."""
    return _FWD_PREFIX.sub("", subject or "").strip()


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def _display_name(name: str) -> str:
    return _clean(name).strip("\"'*").strip()


def _header(msg: EmailMessage, field: str) -> str:
    try:
        value = msg.get(field)
    except Exception:  # a header the parser cannot model: read it raw
        value = None
        for key, raw in msg.raw_items():
            if key.lower() == field.lower():
                value = raw
                break
    return _clean(str(value)) if value is not None else ""


def _from(msg: EmailMessage) -> tuple[str, str]:
    """(display name, address lower-cased) of the From header."""
    try:
        header = msg.get("From")
        addresses = getattr(header, "addresses", ()) if header is not None else ()
        if addresses:
            return _display_name(addresses[0].display_name), addresses[0].addr_spec.lower()
    except Exception:
        pass
    name, address = parseaddr(_header(msg, "From"))
    return _display_name(name), address.lower()


def _list_id(value: str) -> str:
    match = re.search(r"<([^<>]+)>", value)
    return (match.group(1) if match else value).strip().lower()


def _date(msg: EmailMessage) -> datetime | None:
    try:
        header = msg.get("Date")
        value = getattr(header, "datetime", None)
    except Exception:
        value = None
    if value is not None:
        return aware(value)
    return parse_date(_header(msg, "Date"))


def _header_url(msg: EmailMessage) -> str:
    for field in ("Archived-At", "List-Post"):
        match = _HTTP.search(_header(msg, field))
        if match:
            return match.group()
    return ""


# --------------------------------------------------------------------------- "View in browser"

_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_VIEW_TEXT = re.compile(
    r"^\W*(?:view|read|open)(?:\s+(?:this|the|it))?(?:\s+(?:e-?mail|post|issue|newsletter|message|edition))?"
    r"(?:\s+(?:in|on|at))?(?:\s+(?:your|a|the))?\s+(?:web\s*browser|browser|online|app|web(?:site)?)\b",
    re.IGNORECASE,
)
_VIEW_TEXT_LINE = re.compile(
    r"(?im)^[ \t>*]*(?:view|read|open)\b[^\n]{0,40}?\b(?:browser|online|app|web)\b\W{0,4}"
    r"[ \t]*[(<\[]?(https?://[^\s)>\]]+)"
)


def _text_of_html(fragment: str) -> str:
    return _clean(html_lib.unescape(_TAG.sub(" ", fragment)).replace("\xa0", " "))


def view_online_url(body: str, *, is_html: bool) -> str:
    """The target of a "View in browser" / "View online" / "Read in app" link (http/https)."""
    if is_html:
        for anchor in _ANCHOR.finditer(body):
            text = _text_of_html(anchor.group(2))
            if len(text) > 80 or not _VIEW_TEXT.match(text):
                continue
            href = _HREF.search(anchor.group(1))
            if href:
                url = html_lib.unescape(next(g for g in href.groups() if g is not None)).strip()
                if url.lower().startswith(("http://", "https://")):
                    return url
        return ""
    match = _VIEW_TEXT_LINE.search(body)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- forwarded messages

_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message\s*:|"
    r"-{2,}\s*Original Message\s*-{2,})[ \t]*$",
    re.IGNORECASE,
)
_FWD_HEADER = re.compile(r"^[ \t>]*\**(From|Date|Sent|Subject|To|Cc|Bcc|Reply-To)\**\s*:\s*\**(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Forwarded:
    """The original message's header block, as a forward shows it."""

    name: str = ""
    address: str = ""
    date: datetime | None = None
    subject: str = ""


def _forwarded(headers: dict[str, str]) -> Forwarded | None:
    if "from" not in headers or not ({"subject", "date", "sent"} & headers.keys()):
        return None
    raw_from = headers["from"].replace("*", "")
    address_match = _ADDRESS.search(raw_from)
    address = address_match.group().lower() if address_match else ""
    name = raw_from
    for cut in ("<", "[", "(mailto:"):
        name = name.split(cut, 1)[0]
    if address_match and name.strip() == raw_from.strip():
        name = raw_from[: address_match.start()]
    name = _display_name(name)
    if name.lower() == address:
        name = ""
    return Forwarded(
        name=name,
        address=address,
        date=parse_date(headers.get("date") or headers.get("sent") or ""),
        subject=strip_forward_prefix(_clean(headers.get("subject", ""))),
    )


def _header_block(lines: list[str], start: int, *, skip_blank_inside: bool) -> tuple[dict[str, str], int]:
    """Parse forward header lines from ``lines[start:]``; return (headers, index after the block)."""
    headers: dict[str, str] = {}
    last = ""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    end = i
    while i < len(lines):
        line = lines[i]
        match = _FWD_HEADER.match(line)
        if match:
            last = match.group(1).lower()
            headers.setdefault(last, match.group(2).strip())
            end = i + 1
        elif not line.strip():
            if not skip_blank_inside:
                break
        elif last and line[:1] in " \t" and not skip_blank_inside:
            headers[last] += " " + line.strip()
            end = i + 1
        else:
            break
        i += 1
    return headers, end


def _unquote(body: str) -> str:
    lines = [line for line in body.split("\n") if line.strip()]
    if lines and sum(line.lstrip().startswith(">") for line in lines) >= 0.8 * len(lines):
        return re.sub(r"(?m)^[ \t]*> ?", "", body)
    return body


def unwrap_forward_text(text: str) -> tuple[Forwarded, str] | None:
    """(original headers, forwarded body) of a plain-text forward, or None when it is not one."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not _MARKER.match(line):
            continue
        headers, end = _header_block(lines, index + 1, skip_blank_inside=False)
        original = _forwarded(headers)
        if original is None:
            continue
        body = _unquote("\n".join(lines[end:]).strip("\n"))
        return original, body.strip("\n") + "\n"
    return None


_BREAK = re.compile(
    r"<br\b[^>]*>|</?(?:div|p|blockquote|tr|table|tbody|li|ul|ol|h[1-6]|hr|section|article|body|html|head)\b[^>]*>",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"<(style|script|head|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BALANCED = re.compile(
    r"<(/?)(div|blockquote|span|p|td|tr|th|table|tbody|thead|font|b|strong|i|em|center|section|article|body|html)\b[^>]*>",
    re.IGNORECASE,
)
_LEADING_BREAKS = re.compile(r"\A(?:\s|<br\b[^>]*>)+", re.IGNORECASE)


def _html_lines(html: str) -> list[tuple[str, int, int]]:
    """(visible text, start, end) of each line of ``html`` as a browser would break it."""
    lines = []
    position = 0
    for match in _BREAK.finditer(html):
        lines.append((_text_of_html(_INVISIBLE.sub(" ", html[position : match.start()])), position, match.start()))
        position = match.end()
    lines.append((_text_of_html(_INVISIBLE.sub(" ", html[position:])), position, len(html)))
    return lines


def _drop_unmatched_closers(html: str) -> str:
    """Remove closing tags that have no opening tag in ``html`` (left by cutting a fragment out)."""
    open_counts: dict[str, int] = {}
    out = []
    position = 0
    for match in _BALANCED.finditer(html):
        tag = match.group(2).lower()
        if match.group(1):
            if open_counts.get(tag, 0) == 0:
                out.append(html[position : match.start()])
                position = match.end()
                continue
            open_counts[tag] -= 1
        else:
            open_counts[tag] = open_counts.get(tag, 0) + 1
    out.append(html[position:])
    return "".join(out)


def unwrap_forward_html(html: str) -> tuple[Forwarded, str] | None:
    """(original headers, forwarded HTML) of an HTML forward (Gmail's gmail_quote/gmail_attr,
    Apple Mail's blockquote, Outlook's header block), or None when it is not one."""
    lines = _html_lines(html)
    texts = [text for text, _, _ in lines]
    for index, text in enumerate(texts):
        if not _MARKER.match(text):
            continue
        headers, end = _header_block(texts, index + 1, skip_blank_inside=True)
        original = _forwarded(headers)
        if original is None:
            continue
        cut = lines[end - 1][2]  # the end of the last header line
        body = _drop_unmatched_closers(html[cut:])
        return original, _LEADING_BREAKS.sub("", body).strip() + "\n"
    return None


# --------------------------------------------------------------------------- message → Document

def _is_attachment(part: EmailMessage) -> bool:
    try:
        return part.is_attachment()
    except Exception:
        return False


def _body_part(msg: EmailMessage) -> EmailMessage | None:
    try:
        part = msg.get_body(preferencelist=("html", "plain"))
    except Exception:
        part = None
    if part is not None:
        return part
    for subtype in ("html", "plain"):
        for candidate in msg.walk():
            if candidate.get_content_type() == f"text/{subtype}" and not _is_attachment(candidate):
                return candidate
    return None


def _attached_message(msg: EmailMessage) -> EmailMessage | None:
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
    return None


def _decode_part(part: EmailMessage) -> tuple[str, str]:
    """(text, encoding) of a text part: transfer encoding, then declared charset, cp1252 fallback."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    if len(payload) > MAX_BYTES:
        raise ParseError(f"the message text is {len(payload):,} bytes; the limit is {MAX_BYTES:,} bytes (5 MB)")
    decoded = decode_with_charset(payload, part.get_content_charset() or "")
    return decoded.text, decoded.encoding


def _text_part(msg: EmailMessage) -> EmailMessage | None:
    try:
        return msg.get_body(preferencelist=("plain",))
    except Exception:
        return None


def _message_document(msg: EmailMessage, name: str, depth: int = 0) -> Document:
    part = _body_part(msg)
    subject = strip_forward_prefix(_header(msg, "Subject"))
    attached = _attached_message(msg) if depth < 3 else None
    if attached is not None and (part is None or _FWD_PREFIX.match(_header(msg, "Subject"))):
        return _message_document(attached, name, depth + 1)  # forwarded as an attachment
    if part is None:
        raise ParseError(NO_TEXT_PART)
    body, encoding = _decode_part(part)
    if not body.strip():
        raise ParseError("the message's text is empty")
    is_html = part.get_content_subtype() == "html"

    # A newsletter delivered by its list (List-Id / List-Unsubscribe, no "Fwd:") may quote a
    # forwarded message in its text; only a person's forward is unwrapped.
    delivered_by_list = bool(_header(msg, "List-Id") or _header(msg, "List-Unsubscribe")) and not _FWD_PREFIX.match(
        _header(msg, "Subject")
    )
    forwarded = None
    if not delivered_by_list:
        forwarded = unwrap_forward_html(body) if is_html else unwrap_forward_text(body)
    if forwarded is None and is_html and not delivered_by_list:
        text_part = _text_part(msg)
        if text_part is not None:
            text, text_encoding = _decode_part(text_part)
            forwarded = unwrap_forward_text(text)
            if forwarded is not None:  # the HTML could not be cut: keep only the forwarded text
                is_html, encoding = False, text_encoding
    notes: tuple[str, ...] = ()
    if encoding != "utf-8":
        notes += (f"not valid UTF-8; decoded as {encoding}",)

    if forwarded is not None:
        for _ in range(3):  # a forward of a forward: the innermost sender is the newsletter
            inner = unwrap_forward_html(forwarded[1]) if is_html else unwrap_forward_text(forwarded[1])
            if inner is None:
                break
            forwarded = inner
        original, body = forwarded
        meta = SourceMeta(
            newsletter=original.name,
            newsletter_key=f"email:{original.address}" if original.address else "",
            title=original.subject or subject,
            published_at=original.date,
            url=view_online_url(body, is_html=is_html),
            guid=_guid(msg),
        )
        notes += ("forwarded message: the original sender, date and subject are used",)
    else:
        display, address = _from(msg)
        list_id = _list_id(_header(msg, "List-Id"))
        key = f"list:{list_id}" if list_id else (f"email:{address}" if address else "")
        meta = SourceMeta(
            newsletter=display,
            newsletter_key=key,
            title=subject,
            published_at=_date(msg),
            url=view_online_url(body, is_html=is_html) or _header_url(msg),
            guid=_guid(msg),
        )
    return Document(name=name, kind=DOC_HTML if is_html else DOC_TEXT, body=body, meta=meta,
                    encoding=encoding, notes=notes)


def _guid(msg: EmailMessage) -> str:
    message_id = _header(msg, "Message-ID").strip().strip("<>").strip()
    return f"message-id:{message_id}" if message_id else ""


def _parse(raw: bytes) -> EmailMessage:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ParseError(f"message is {len(raw):,} bytes; the limit is {MAX_MESSAGE_BYTES:,} bytes")
    raw = raw.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    if not raw.strip():
        raise ParseError("message is empty")
    msg = email.message_from_bytes(raw, policy=policy.default)
    if not list(msg.keys()):
        raise ParseError("not an e-mail message: it has no headers")
    return msg


def _read_message(msg: EmailMessage, name: str) -> Document:
    try:
        return _message_document(msg, name)
    except RecursionError:
        raise ParseError("the message is nested too deeply to read") from None


def message_document(raw: bytes, *, name: str) -> Document:
    """One e-mail message (RFC 822 bytes) as a Document; raises ParseError when it cannot be read."""
    try:
        msg = _parse(raw)
    except RecursionError:
        raise ParseError("the message is nested too deeply to read") from None
    return _read_message(msg, name)


# --------------------------------------------------------------------------- mbox

_MBOX_LINE = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_HEADER_START = re.compile(rb"[!-9;-~]+:")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def split_mbox(raw: bytes) -> list[bytes]:
    """The messages of an mbox: split on ``From `` lines that start the file or follow a blank
    line and precede a header; ``>From `` (mboxrd/mboxo escaping) is un-escaped."""
    raw = raw.replace(b"\r\n", b"\n")
    starts = []
    for match in _MBOX_LINE.finditer(raw):
        begin = match.start()
        if begin and not raw[:begin].endswith(b"\n\n"):
            continue
        if not _HEADER_START.match(raw, match.end()):
            continue
        starts.append((begin, match.end()))
    messages = []
    for index, (_, body_start) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(raw)
        message = raw[body_start:end]
        if message.endswith(b"\n\n"):
            message = message[:-1]
        messages.append(_ESCAPED_FROM.sub(rb"\1", message))
    return messages


def mbox_items(name: str, raw: bytes) -> Iterator[Document | ItemFailure]:
    """Every message of the mbox ``raw`` as a Document named ``box.mbox #3: <subject>``."""
    if len(raw) > MAX_MBOX_BYTES:
        yield ItemFailure(name, f"mailbox is {len(raw):,} bytes; the limit is {MAX_MBOX_BYTES:,} bytes")
        return
    messages = split_mbox(raw)
    if not messages:
        yield ItemFailure(name, "no messages found in the mailbox file")
        return
    for number, message in enumerate(messages, start=1):
        label = f"{name} #{number}"
        try:
            msg = _parse(message)
        except RecursionError:
            yield ItemFailure(label, "the message is nested too deeply to read")
            continue
        except ParseError as exc:
            yield ItemFailure(label, str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable message never stops the mailbox
            yield ItemFailure(label, f"could not be read ({type(exc).__name__})")
            continue
        subject = strip_forward_prefix(_header(msg, "Subject"))
        named = f"{label}: {subject}" if subject else label
        try:
            document = _read_message(msg, label)
        except ParseError as exc:
            yield ItemFailure(named, str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a malformed structure a library did not expect
            yield ItemFailure(named, f"could not be read ({type(exc).__name__})")
            continue
        title = document.meta.title or subject
        yield replace(document, name=f"{label}: {title}" if title else label)
