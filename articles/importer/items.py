"""Channel output → items: one source (a file, a zip, an mbox, a feed, an e-mail) holds many issues.

:func:`split_items` is the only entry point the services use for files: it takes a name and raw
bytes and yields one :class:`Document` per issue found, or an :class:`ItemFailure` for an item that
cannot be read (the other items still come through). The container is recognised from the
content (:mod:`.sniff`); the file name only breaks ties. Pure: no Django, no network.

Also here for the other channels: :func:`page_document` (a fetched web page) and, re-exported from
:mod:`.mail` and :mod:`.feed`, :func:`message_document` and :func:`parse_feed`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from io import BytesIO
from urllib.parse import urlsplit

from .charset import decode_with_charset
from .decode import _BINARY_CONTROLS, MAX_BYTES, decode_source
from .feed import ParsedFeed, parse_feed
from .mail import mbox_items, message_document
from .sniff import EMAIL, FEED, MBOX, ZIP, classify_text, sniff_container
from .types import Document, ItemFailure, ParseError, SourceMeta

__all__ = [
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_TOTAL_BYTES",
    "ParsedFeed",
    "message_document",
    "page_document",
    "parse_feed",
    "split_items",
]

MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024  # uncompressed, all members together
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_DEPTH = 1  # a zip inside the zip is read; a zip inside that one is not


def unreadable(name: str, exc: BaseException) -> ItemFailure:
    """The failure for an item whose reading raised something other than ParseError (a bug or a
    malformed structure a library did not expect): the import goes on with the next item."""
    return ItemFailure(name, f"could not be read ({type(exc).__name__})")


@dataclass
class _ZipBudget:
    """Uncompressed bytes read so far from the outermost zip, nested zips included."""

    used: int = 0
    exhausted: bool = False


def _merge(found: SourceMeta, fallback: SourceMeta) -> SourceMeta:
    """``found`` (what the content says) with its empty fields filled from ``fallback``."""
    if fallback == SourceMeta():
        return found
    return replace(found, **{
        f.name: getattr(fallback, f.name) for f in fields(SourceMeta) if not getattr(found, f.name)
    })


def _with_meta(item: Document | ItemFailure, meta: SourceMeta) -> Document | ItemFailure:
    if isinstance(item, Document):
        return replace(item, meta=_merge(item.meta, meta))
    return item


def split_items(name: str, raw: bytes, *, meta: SourceMeta = SourceMeta()) -> Iterator[Document | ItemFailure]:
    """Every issue in ``raw`` as a Document (``meta`` fills what the content does not say).

    zip → each member (recursively, one level of nested zip); mbox → each message; a single
    e-mail → one Document; an RSS/Atom feed → one Document per entry; anything else → one
    Document of kind HTML, Markdown or text.

    Never raises: an item that cannot be read is an ItemFailure — with the reason when the
    reader knows it (ParseError), else ``"could not be read (<ExceptionClass>)"`` — and the
    iteration goes on with the next item (for a container, its next member / message / entry).
    """
    yield from _guarded(name, _split(name, raw, meta=meta, depth=0, budget=None))


def _guarded(name: str, items: Iterator[Document | ItemFailure]) -> Iterator[Document | ItemFailure]:
    """``items``, with an unexpected exception turned into one failure for ``name`` (a generator
    cannot go on after it raised; containers guard each of their members themselves)."""
    try:
        yield from items
    except ParseError as exc:
        yield ItemFailure(name, str(exc))
    except Exception as exc:  # noqa: BLE001 - see split_items: one bad item never stops an import
        yield unreadable(name, exc)


def _split(
    name: str, raw: bytes, *, meta: SourceMeta, depth: int, budget: _ZipBudget | None
) -> Iterator[Document | ItemFailure]:
    container = sniff_container(raw, name)
    if container == ZIP:
        yield from _zip_items(name, raw, meta=meta, depth=depth, budget=budget or _ZipBudget())
    elif container == MBOX:
        for item in mbox_items(name, raw):
            yield _with_meta(item, meta)
    elif container == EMAIL:
        try:
            yield _with_meta(message_document(raw, name=name), meta)
        except ParseError as exc:
            yield ItemFailure(name, str(exc))
    elif container == FEED:
        yield from _feed_items(name, raw, meta=meta)
    else:
        yield _plain_document(name, raw, meta=meta)


def _plain_document(name: str, raw: bytes, *, meta: SourceMeta) -> Document | ItemFailure:
    try:
        decoded = decode_source(raw)
    except ParseError as exc:
        return ItemFailure(name, str(exc))
    return Document(name=name, kind=classify_text(decoded.text, name), body=decoded.text, meta=meta,
                    encoding=decoded.encoding, notes=decoded.notes)


def _feed_items(name: str, raw: bytes, *, meta: SourceMeta) -> Iterator[Document | ItemFailure]:
    try:
        parsed = parse_feed(raw, feed_url="", name=name)
    except ParseError as exc:
        yield ItemFailure(name, str(exc))
        return
    if not parsed.documents and not parsed.failures:
        yield ItemFailure(name, "the feed has no entries")
        return
    for document in parsed.documents:
        yield _with_meta(document, meta)
    yield from parsed.failures


# --------------------------------------------------------------------------- zip

def _skipped_member(info: zipfile.ZipInfo) -> bool:
    parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
    return (
        info.is_dir()
        or not parts
        or parts[0] == "__MACOSX"
        or any(p.startswith(".") for p in parts)
    )


def _zip_items(
    name: str, raw: bytes, *, meta: SourceMeta, depth: int, budget: _ZipBudget
) -> Iterator[Document | ItemFailure]:
    """The members of a zip. ``budget`` is shared with the enclosing zip, so the bytes a nested
    zip unpacks count against the outermost archive's MAX_ZIP_TOTAL_BYTES (as do the nested zip's
    own bytes, read as a member of the outer one)."""
    if depth > MAX_ZIP_DEPTH:
        yield ItemFailure(name, "a zip inside a zip inside a zip is not read (nested too deep)")
        return
    try:
        archive = zipfile.ZipFile(BytesIO(raw))
        infos = [info for info in archive.infolist() if not _skipped_member(info)]
    except Exception as exc:  # zipfile raises many kinds of error for a damaged central directory
        yield ItemFailure(name, f"not a readable zip archive ({exc or type(exc).__name__})")
        return
    if not infos:
        yield ItemFailure(name, "the zip archive holds no files")
        return
    with archive:
        for index, info in enumerate(infos):
            member = f"{name}/{info.filename}"
            if index >= MAX_ZIP_MEMBERS:
                yield ItemFailure(name, f"the archive holds {len(infos):,} files; only the first "
                                        f"{MAX_ZIP_MEMBERS:,} were read")
                return
            if info.file_size > MAX_BYTES:
                yield ItemFailure(member, f"file is {info.file_size:,} bytes uncompressed; the limit is "
                                          f"{MAX_BYTES:,} bytes (5 MB)")
                continue
            if budget.exhausted or budget.used + info.file_size > MAX_ZIP_TOTAL_BYTES:
                budget.exhausted = True
                yield ItemFailure(name, f"the archive unpacks to more than {MAX_ZIP_TOTAL_BYTES:,} bytes; "
                                        f"the files from {info.filename} on were not read")
                return
            try:
                with archive.open(info) as stream:
                    data = stream.read(MAX_BYTES + 1)  # never trust the declared size
            except Exception as exc:  # CRC error, zlib error, encrypted, unsupported compression, …
                yield ItemFailure(member, f"cannot be unpacked from the archive ({exc or type(exc).__name__})")
                continue
            if len(data) > MAX_BYTES:
                yield ItemFailure(member, f"file is larger than {MAX_BYTES:,} bytes (5 MB) uncompressed")
                continue
            if budget.used + len(data) > MAX_ZIP_TOTAL_BYTES:  # the declared size was a lie
                budget.exhausted = True
                yield ItemFailure(name, f"the archive unpacks to more than {MAX_ZIP_TOTAL_BYTES:,} bytes; "
                                        f"the files from {info.filename} on were not read")
                return
            budget.used += len(data)
            yield from _guarded(member, _split(member, data, meta=meta, depth=depth + 1, budget=budget))


# --------------------------------------------------------------------------- web pages

_CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)


def page_document(raw: bytes, *, url: str, content_type: str = "") -> Document:
    """A fetched web page as a Document (charset from ``content_type``, else ``<meta charset>``).

    ``meta.url`` is ``url`` (http/https only); the newsletter key is left for the structure step,
    which derives the site. Raises ParseError for an empty, oversized or binary page.
    """
    if len(raw) > MAX_BYTES:
        raise ParseError(f"page is {len(raw):,} bytes; the limit is {MAX_BYTES:,} bytes (5 MB)")
    if not raw.strip():
        raise ParseError("page is empty")
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    charset = match.group(1) if match else ""
    if not charset:
        meta_match = _META_CHARSET.search(raw[:8192])
        charset = meta_match.group(1).decode("ascii", "ignore") if meta_match else ""
    decoded = decode_with_charset(raw, charset)
    sample = decoded.text[:65536]
    if sum(ch in _BINARY_CONTROLS for ch in sample) > max(8, len(sample) // 100):
        raise ParseError("page looks binary (many control characters), not a newsletter")
    clean_url = url.strip() if url.strip().lower().startswith(("http://", "https://")) else ""
    kind = classify_text(decoded.text, urlpath(clean_url))
    return Document(name=url or "page", kind=kind, body=decoded.text, meta=SourceMeta(url=clean_url),
                    encoding=decoded.encoding, notes=decoded.notes)


def urlpath(url: str) -> str:
    """The path of ``url`` (its extension may break a Markdown/text tie)."""
    try:
        return urlsplit(url).path if url else ""
    except ValueError:
        return ""
