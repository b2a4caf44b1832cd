"""split_items: containers and kinds detected from content; zip limits; seeds; pages (pure, no database).

Every sample newsletter here is invented (the seeds are read through tests/seeds.py, never copied).
"""

import ast
import io
import zipfile
from pathlib import Path

import pytest

from articles.importer import items as items_module
from articles.importer.decode import MAX_BYTES
from articles.importer.items import page_document, split_items
from articles.importer.repair import repair_quoted_printable
from articles.importer.sniff import EMAIL, FEED, MBOX, OTHER, ZIP, classify_text, sniff_container
from articles.importer.types import DOC_HTML, DOC_MARKDOWN, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta
from tests.seeds import seed_bytes

SAMPLES = Path(__file__).parent / "samples"
IMPORTER = Path(items_module.__file__).parent


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [("000", DOC_TEXT), ("001", DOC_TEXT), ("002", DOC_HTML), ("003", DOC_TEXT), ("004", DOC_TEXT)],
)
def test_each_seed_is_exactly_one_document(prefix, kind):
    raw = seed_bytes(prefix)
    items = list(split_items(f"{prefix}.txt", raw))
    assert len(items) == 1
    (document,) = items
    assert isinstance(document, Document)
    assert document.kind == kind
    assert document.name == f"{prefix}.txt"
    assert document.meta == SourceMeta()


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("<p>Hello</p>", "a.txt", DOC_HTML),
        ("<!-- saved -->\n<!DOCTYPE html>\n<html><body>x</body></html>", "a.md", DOC_HTML),
        ("<head><meta charset='utf-8'></head>", "a", DOC_HTML),
        ("<meta charset='utf-8'><p>x</p>", "a", DOC_HTML),
        ('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x">\n<html>', "a", DOC_HTML),
        ("---\ntitle: Kite 4\ndate: 2026-11-03\n---\nBody text.\n", "a.txt", DOC_MARKDOWN),
        ("Kite 4\n\n# Launch\n\nBody.\n", "a.txt", DOC_MARKDOWN),
        ("Kite 4\nSome **bold** words.\n", "a", DOC_MARKDOWN),
        ("Kite 4\nSee [the post](https://kite.example/4).\n", "a", DOC_MARKDOWN),
        ("Kite 4\nPlain words only.\n", "kite.md", DOC_MARKDOWN),
        ("Kite 4\nPlain words only.\n", "kite.markdown", DOC_MARKDOWN),
        ("Kite 4\nPlain words only.\n", "kite.txt", DOC_TEXT),
        ("- Kite Daily\n- Posts\n- Launch day\nLaunch day\nBody.\n", "k.txt", DOC_TEXT),
        ("- Kite Daily\n- Posts\n", "k.md", DOC_MARKDOWN),
        ("Kite 4\n---\nA rule is not front matter.\n", "k", DOC_TEXT),
        ("#hashtag at the start is not a heading\n", "k", DOC_TEXT),
        ("2 * 3 * 4 is not bold\n", "k", DOC_TEXT),
    ],
)
def test_classify_text(text, name, kind):
    assert classify_text(text, name) == kind


def test_markdown_and_html_files_through_split_items():
    (md,) = split_items("notes.md", b"# Kite 4\n\nBody.\n")
    (html,) = split_items("notes.txt", b"\xef\xbb\xbf<!doctype html><html><body><p>Kite</p></body></html>\r\n")
    assert (md.kind, md.body) == (DOC_MARKDOWN, "# Kite 4\n\nBody.\n")
    assert (html.kind, html.body) == (DOC_HTML, "<!doctype html><html><body><p>Kite</p></body></html>\n")


def test_meta_fills_only_what_the_content_does_not_say():
    channel_meta = SourceMeta(newsletter="From the channel", newsletter_key="feed:https://x.example/f", author="Ann")
    (plain,) = split_items("a.txt", b"Kite\n", meta=channel_meta)
    assert plain.meta == channel_meta
    (mail,) = split_items("a.eml", (SAMPLES / "substack.eml").read_bytes(), meta=channel_meta)
    assert mail.meta.newsletter == "Mara Vell from The Paper Kite"
    assert mail.meta.newsletter_key == "list:paperkite.substack.example"
    assert mail.meta.author == "Ann"


@pytest.mark.parametrize(
    ("raw", "container"),
    [
        (b"PK\x03\x04rest", ZIP),
        (b"From a@b.example Tue Nov  3 00:00:00 2026\nFrom: a@b.example\nSubject: x\n\nbody\n", MBOX),
        (b"From here we go\nFrom: is not how mail starts\n", OTHER),
        (b"Received: from x by y; Tue, 3 Nov 2026 00:00:00 +0000\nFrom: a@b.example\nSubject: x\n\nbody\n", EMAIL),
        (b"MIME-Version: 1.0\nDate: Tue, 3 Nov 2026 00:00:00 +0000\n\nbody\n", EMAIL),
        (b"Subject: hello\n\nonly one header\n", OTHER),
        (b"Title: My notes\nDate: 2026-11-03\n\nPelican-style metadata is not mail\n", OTHER),
        (b"\xef\xbb\xbf  <!-- c -->\n<rss version='2.0'>", FEED),
        (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", FEED),
        (b"<rdf:RDF xmlns:rdf='x'>", FEED),
        (b"<?xml version='1.0'?><html><body/></html>", OTHER),
        (b"Import AI 999: a title: with colons\nbody\n", OTHER),
    ],
)
def test_sniff_container(raw, container):
    assert sniff_container(raw) == container


# --------------------------------------------------------------------------- zip


def test_zip_with_mixed_members():
    eml = (SAMPLES / "substack.eml").read_bytes()
    archive = make_zip({
        "issues/": b"",
        "issues/kite-1.md": b"---\ntitle: Kite 1\n---\nBody.\n",
        "issues/kite-2.html": b"<p>Kite 2</p>",
        "issues/kite-3.eml": eml,
        "issues/broken.bin": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "__MACOSX/issues/._kite-1.md": b"junk",
        ".DS_Store": b"junk",
        "issues/.hidden.md": b"# hidden",
    })
    items = list(split_items("archive.zip", archive))
    assert [(i.name, getattr(i, "kind", None)) for i in items] == [
        ("archive.zip/issues/kite-1.md", DOC_MARKDOWN),
        ("archive.zip/issues/kite-2.html", DOC_HTML),
        ("archive.zip/issues/kite-3.eml", DOC_HTML),
        ("archive.zip/issues/broken.bin", None),
    ]
    assert items[2].meta.newsletter_key == "list:paperkite.substack.example"
    assert items[3] == ItemFailure(
        "archive.zip/issues/broken.bin", "file is binary or in an unknown encoding (neither UTF-8 nor cp1252)"
    )


def test_zip_member_with_corrupt_data_does_not_stop_the_others():
    archive = bytearray(make_zip({"a.txt": b"Kite A\n" * 50, "b.txt": b"Kite B\n" * 50}))
    data_at = archive.index(b"a.txt") + len(b"a.txt")  # first member's compressed data follows its name
    archive[data_at + 2 : data_at + 8] = b"\xff" * 6
    items = list(split_items("archive.zip", bytes(archive)))
    assert isinstance(items[0], ItemFailure) and items[0].name == "archive.zip/a.txt"
    assert items[0].reason.startswith("cannot be unpacked from the archive (")
    assert isinstance(items[1], Document) and items[1].body == "Kite B\n" * 50


def test_corrupt_zip_is_one_failure():
    raw = make_zip({"a.txt": b"Kite\n"})[:30] + b"garbage" * 10
    items = list(split_items("broken.zip", raw))
    assert len(items) == 1 and isinstance(items[0], ItemFailure)
    assert items[0].name == "broken.zip"
    assert items[0].reason.startswith("not a readable zip archive (")


def test_empty_zip():
    assert list(split_items("empty.zip", make_zip({"dir/": b""}))) == [
        ItemFailure("empty.zip", "the zip archive holds no files")
    ]


def test_zip_member_over_the_size_limit():
    archive = make_zip({"bomb.txt": b"0" * (MAX_BYTES + 1), "ok.txt": b"Kite\n"})
    assert len(archive) < 100_000  # compresses to almost nothing
    items = list(split_items("bomb.zip", archive))
    assert items[0] == ItemFailure(
        "bomb.zip/bomb.txt", f"file is {MAX_BYTES + 1:,} bytes uncompressed; the limit is {MAX_BYTES:,} bytes (5 MB)"
    )
    assert isinstance(items[1], Document) and items[1].name == "bomb.zip/ok.txt"


def test_zip_member_lying_about_its_size_is_not_read_past_the_limit():
    archive = bytearray(make_zip({"liar.txt": b"0" * (MAX_BYTES + 10)}))
    # patch the declared uncompressed size (local header and central directory) down to 10 bytes
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = archive.index(signature) + offset
        archive[at : at + 4] = (10).to_bytes(4, "little")
    (failure,) = split_items("liar.zip", bytes(archive))
    assert isinstance(failure, ItemFailure) and failure.name == "liar.zip/liar.txt"


def test_zip_total_and_member_count_limits(monkeypatch):
    monkeypatch.setattr(items_module, "MAX_ZIP_TOTAL_BYTES", 25)
    archive = make_zip({"a.txt": b"Kite A here\n", "b.txt": b"Kite B here\n", "c.txt": b"Kite C here\n"})
    items = list(split_items("big.zip", archive))
    assert [i.name for i in items] == ["big.zip/a.txt", "big.zip/b.txt", "big.zip"]
    assert items[2] == ItemFailure(
        "big.zip", "the archive unpacks to more than 25 bytes; the files from c.txt on were not read"
    )
    monkeypatch.setattr(items_module, "MAX_ZIP_TOTAL_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(items_module, "MAX_ZIP_MEMBERS", 2)
    items = list(split_items("many.zip", archive))
    assert items[2] == ItemFailure("many.zip", "the archive holds 3 files; only the first 2 were read")


def test_nested_zip_one_level_only():
    inner = make_zip({"deep.txt": b"Kite deep\n"})
    middle = make_zip({"inner.zip": inner, "mid.txt": b"Kite mid\n"})
    outer = make_zip({"middle.zip": middle})
    items = list(split_items("outer.zip", outer))
    assert items == [
        ItemFailure("outer.zip/middle.zip/inner.zip", "a zip inside a zip inside a zip is not read (nested too deep)"),
        Document(name="outer.zip/middle.zip/mid.txt", kind=DOC_TEXT, body="Kite mid\n"),
    ]
    # the same middle zip uploaded on its own: its inner zip is one level deep, so it is read
    assert [i.name for i in split_items("m.zip", middle)] == ["m.zip/inner.zip/deep.txt", "m.zip/mid.txt"]


def test_mbox_and_feed_inside_a_zip():
    feed = (SAMPLES / "owl.atom").read_bytes()
    items = list(split_items("a.zip", make_zip({"owls.xml": feed})))
    assert [i.name for i in items] == ["a.zip/owls.xml #1: Owls at scale", "a.zip/owls.xml #2: Plain owls"]


# --------------------------------------------------------------------------- plain files


def test_empty_and_oversized_files_are_failures():
    assert list(split_items("e.txt", b"  \n")) == [ItemFailure("e.txt", "file is empty")]
    (failure,) = split_items("big.txt", b"x" * (MAX_BYTES + 1))
    assert isinstance(failure, ItemFailure) and "the limit is" in failure.reason


# --------------------------------------------------------------------------- pages


def test_page_document_uses_the_content_type_charset():
    raw = "<html><body><p>Caf\u00e9 \u2014 menu</p></body></html>".encode("cp1252")
    doc = page_document(raw, url="https://cafe.example/menu", content_type="text/html; charset=windows-1252")
    assert doc.kind == DOC_HTML
    assert doc.body == "<html><body><p>Caf\u00e9 \u2014 menu</p></body></html>"
    assert doc.meta == SourceMeta(url="https://cafe.example/menu")
    assert doc.name == "https://cafe.example/menu"
    assert doc.encoding == "cp1252"


def test_page_document_uses_meta_charset():
    raw = '<!DOCTYPE html><html><head><meta charset="iso-8859-15"></head><body>\u20ac 5</body></html>'.encode(
        "iso-8859-15"
    )
    doc = page_document(raw, url="https://shop.example/", content_type="text/html")
    assert "\u20ac 5" in doc.body and doc.encoding == "iso8859-15"


def test_page_document_markdown_and_non_http_url():
    doc = page_document(b"# Notes\n\nHello\n", url="ftp://x.example/notes.md", content_type="text/markdown")
    assert doc.kind == DOC_MARKDOWN and doc.meta.url == "" and doc.meta.newsletter_key == ""


def test_page_document_refuses_binary():
    with pytest.raises(ParseError, match="binary"):
        page_document(bytes(range(32)) * 100, url="https://x.example/a.png")


# --------------------------------------------------------------------------- quoted-printable repair


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don=E2=80=99t =E2=80=94 yes", "don’t — yes"),
        ("caf=C3=A9 and na=C3=AFve, soft=\nbreak, a=3Db", "café and naïve, softbreak, a=b"),
        ("only one =E2=80=99 here, x=20", "only one ’ here, x=20"),
        ("it=E2=80=99s a=b and x=3D", "it’s a=b and x=3D"),
        ("caf=C3=A9 au lait", "café au lait"),
        ("one =E2=80=99 and a soft=\nbreak, a=3Db", "one ’ and a softbreak, a=b"),
        ("not UTF-8 =C3=28 nor =E2=28=A1, a=b", "not UTF-8 =C3=28 nor =E2=28=A1, a=b"),
        ("overlong =C0=80 and soft=\nbreak", "overlong =C0=80 and soft=\nbreak"),
        ("a=b, x=3D, y=20 and line end=\nnext", "a=b, x=3D, y=20 and line end=\nnext"),
        ("twin =E2=80=9C=E2=80=9D and x=3Dy", "twin “” and x=y"),
        ("url?id=AB&x=CD and =E2=80=99 =E2=80=94", "url?id=AB&x=CD and ’ —"),
        ("bad =E2=80=E2=80=99 =E2=80=99", "bad =E2=80=E2=80=99 ’"),
        ("plain text", "plain text"),
    ],
)
def test_repair_quoted_printable(text, expected):
    assert repair_quoted_printable(text) == expected
    assert repair_quoted_printable(expected) == expected


# --------------------------------------------------------------------------- purity


def test_importer_package_imports_no_django():
    for path in sorted(IMPORTER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "django" or n.startswith("django.") for n in names), path.name


# --------------------------------------------------------------------------- nested zip budget, never raising


def test_nested_zip_counts_against_the_outer_zip_total(monkeypatch):
    inner = make_zip({"n1.txt": b"Kite N1 here\n", "n2.txt": b"Kite N2 here\n"})  # 13 bytes each
    outer = make_zip({"a.txt": b"Kite A here\n", "inner.zip": inner, "z.txt": b"Kite Z here\n"})
    monkeypatch.setattr(items_module, "MAX_ZIP_TOTAL_BYTES", 12 + len(inner) + 13 + 5)
    items = list(split_items("outer.zip", outer))
    assert [(type(i).__name__, i.name) for i in items] == [
        ("Document", "outer.zip/a.txt"),
        ("Document", "outer.zip/inner.zip/n1.txt"),
        ("ItemFailure", "outer.zip/inner.zip"),
        ("ItemFailure", "outer.zip"),
    ]
    limit = f"{items_module.MAX_ZIP_TOTAL_BYTES:,}"
    assert items[2].reason == f"the archive unpacks to more than {limit} bytes; the files from n2.txt on were not read"
    assert items[3].reason == f"the archive unpacks to more than {limit} bytes; the files from z.txt on were not read"
    # on its own the inner zip is well within the same limit
    assert [i.name for i in split_items("inner.zip", inner)] == ["inner.zip/n1.txt", "inner.zip/n2.txt"]


UNDEFINED_CHARSET = (
    b"From: Kite Club <club@kite.example>\nSubject: Kite news\nDate: Tue, 03 Nov 2026 09:00:00 +0000\n"
    b"Content-Type: text/plain; charset=undefined\n\nHello kites.\n"
)


def test_a_charset_whose_codec_refuses_everything_falls_back_to_utf8():
    # codecs.lookup("undefined") succeeds, but decoding raises a bare UnicodeError
    (document,) = split_items("kite.eml", UNDEFINED_CHARSET)
    assert isinstance(document, Document)
    assert (document.body, document.encoding, document.meta.title) == ("Hello kites.\n", "utf-8", "Kite news")


def _explode_on(marker: bytes):
    from articles.importer import charset as charset_module

    real = charset_module.decode_with_charset

    def decode(raw: bytes, charset: str = ""):
        if marker in raw:
            raise KeyError("unexpected")  # what a library bug on a malformed part looks like
        return real(raw, charset)

    return decode


def test_split_items_never_raises_and_goes_on_with_the_next_item(monkeypatch):
    from articles.importer import mail as mail_module

    monkeypatch.setattr(mail_module, "decode_with_charset", _explode_on(b"BOOM"))
    good = b"From: Kite Club <club@kite.example>\nSubject: Good kite\n\nA good kite.\n"
    bad = b"From: Kite Club <club@kite.example>\nSubject: Bad kite\n\nBOOM goes the kite.\n"
    # a single e-mail
    assert list(split_items("bad.eml", bad)) == [ItemFailure("bad.eml", "could not be read (KeyError)")]
    # an mbox: the message after the broken one still comes through
    mbox = b"From a@b Tue Nov  3 09:00:00 2026\n" + good + b"\nFrom a@b Tue Nov  3 09:00:00 2026\n" + bad
    mbox += b"\nFrom a@b Tue Nov  3 09:00:00 2026\n" + good
    items = list(split_items("box.mbox", mbox))
    assert [(type(i).__name__, i.name) for i in items] == [
        ("Document", "box.mbox #1: Good kite"), ("ItemFailure", "box.mbox #2: Bad kite"),
        ("Document", "box.mbox #3: Good kite"),
    ]  # fmt: skip
    assert items[1].reason == "could not be read (KeyError)"
    # a zip: the rest of its members still come through, also after a nested zip that failed
    archive = make_zip({"a.eml": bad, "inner.zip": make_zip({"x.eml": bad, "y.txt": b"Kite Y\n"}), "b.eml": good})
    items = list(split_items("all.zip", archive))
    assert [(type(i).__name__, i.name) for i in items] == [
        ("ItemFailure", "all.zip/a.eml"), ("ItemFailure", "all.zip/inner.zip/x.eml"),
        ("Document", "all.zip/inner.zip/y.txt"), ("Document", "all.zip/b.eml"),
    ]  # fmt: skip
    assert {i.reason for i in items if isinstance(i, ItemFailure)} == {"could not be read (KeyError)"}


def test_split_items_turns_an_unexpected_error_in_sniffing_into_a_failure(monkeypatch):
    def broken(raw, name=""):
        raise IndexError("unexpected")

    monkeypatch.setattr(items_module, "sniff_container", broken)
    assert list(split_items("odd.txt", b"Kite\n")) == [ItemFailure("odd.txt", "could not be read (IndexError)")]


def test_an_unexpected_error_in_one_feed_entry_does_not_stop_the_feed(monkeypatch):
    from articles.importer import feed as feed_module

    real = feed_module._entry_body
    calls = iter(range(100))

    def entry_body(entry):
        if next(calls) == 0:
            raise TypeError("unexpected")
        return real(entry)

    monkeypatch.setattr(feed_module, "_entry_body", entry_body)
    items = list(split_items("owls.xml", (SAMPLES / "owl.atom").read_bytes()))
    assert [(type(i).__name__, i.name) for i in items] == [
        ("Document", "owls.xml #2: Plain owls"), ("ItemFailure", "owls.xml #1: Owls at scale"),
    ]  # fmt: skip
    assert items[1].reason == "could not be read (TypeError)"
