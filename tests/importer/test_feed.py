"""RSS/Atom feeds → Documents, and the refusal of entity-declaring feeds (pure, no database).

Every sample feed here is invented.
"""

import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.importer.feed import ENTITIES_REFUSED, ParsedFeed, parse_feed, refuse_entities
from articles.importer.items import split_items
from articles.importer.types import DOC_HTML, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_rss_feed_from_the_feed_channel():
    parsed = parse_feed(sample("kite.rss"), feed_url="https://www.paperkite.example/feed")
    assert isinstance(parsed, ParsedFeed)
    assert parsed.title == "The Paper Kite"
    assert parsed.link == "https://www.paperkite.example/"
    first, second = parsed.documents
    assert first == Document(
        name="The Paper Kite #1: Issue 3: Thermals",
        kind=DOC_HTML,
        body="<p>Thermals lift the kite. It doesn’t need an engine.</p><p>Second paragraph.</p>\n",
        meta=SourceMeta(
            newsletter="The Paper Kite",
            newsletter_key="feed:https://www.paperkite.example/feed",
            title="Issue 3: Thermals",
            author="Mara Vell",
            published_at=datetime(2026, 11, 3, 14, 1, tzinfo=UTC),
            url="https://www.paperkite.example/p/thermals",
            guid="guid:kite-0003",
        ),
    )
    assert second.name == "The Paper Kite #2: Issue 2: Tails"
    assert second.body == "<p>Only a summary about tails.</p>\n"
    assert second.notes == ("the feed carries only a summary",)
    assert second.meta.guid == "guid:https://www.paperkite.example/p/tails"  # no id: the link
    assert second.meta.published_at == datetime(2026, 10, 27, 9, 1, tzinfo=UTC)
    assert parsed.failures == (
        ItemFailure("The Paper Kite #3: Issue 1: Paper", "the feed entry has neither content nor a summary"),
    )


def test_rss_feed_file_through_split_items():
    items = list(split_items("kite.xml", sample("kite.rss")))
    assert [type(i) for i in items] == [Document, Document, ItemFailure]
    assert [i.name for i in items] == [
        "kite.xml #1: Issue 3: Thermals", "kite.xml #2: Issue 2: Tails", "kite.xml #3: Issue 1: Paper",
    ]
    # no feed URL for a file: the site of the feed's link is the key
    assert {i.meta.newsletter_key for i in items[:2]} == {"site:paperkite.example"}


def test_atom_feed():
    parsed = parse_feed(sample("owl.atom"), feed_url="https://nightshift.example/atom.xml")
    assert parsed.title == "Night Shift Digest" and parsed.link == "https://nightshift.example/"
    owls, plain = parsed.documents
    assert owls.kind == DOC_HTML
    assert owls.body == "<p>Owls now work at scale, every night.</p><p>A longer body.</p>\n"  # content, not summary
    assert owls.notes == ()
    assert owls.meta == SourceMeta(
        newsletter="Night Shift Digest",
        newsletter_key="feed:https://nightshift.example/atom.xml",
        title="Owls at scale",
        author="Ana Night",
        published_at=datetime(2026, 11, 4, 8, 0, tzinfo=UTC),  # updated, converted to UTC
        url="https://nightshift.example/owls",
        guid="guid:urn:uuid:owls-at-scale",
    )
    assert plain.kind == DOC_TEXT and plain.body == "Owls in plain text.\n"
    assert plain.meta.url == "" and plain.meta.guid == "guid:urn:uuid:plain-owls"
    assert parsed.failures == ()


def test_feed_without_link_is_keyed_by_its_name():
    raw = (
        b"<rss version='2.0'><channel><title>Tin Can Weekly!</title>"
        b"<item><title>One</title><description>Body one</description></item></channel></rss>"
    )
    (doc,) = parse_feed(raw, feed_url="").documents
    assert doc.meta.newsletter_key == "name:tin-can-weekly"


def test_billion_laughs_is_refused_fast_without_expanding():
    raw = sample("laughs.xml")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ParseError) as refused:
            parse_feed(raw, feed_url="https://evil.example/feed")
        items = list(split_items("laughs.xml", raw))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == ENTITIES_REFUSED
    assert items == [ItemFailure("laughs.xml", ENTITIES_REFUSED)]
    assert time.perf_counter() - started < 1.0
    assert peak < 5 * 1024 * 1024  # &lol9; would be 3 GB


def test_entities_are_refused_by_the_xml_parser_too():
    # UTF-16 hides the declaration from the byte check; defusedxml still refuses it, before expansion
    raw = sample("laughs.xml").decode("ascii").replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(ParseError, match="declares XML entities"):
        refuse_entities(raw.encode("utf-16"))
    external = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(external, feed_url="")


def test_external_dtd_without_entities_is_accepted():
    raw = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b"<rss version='0.91'><channel><title>Old</title><link>http://old.example/</link>"
        b"<item><title>Hi</title><link>http://old.example/1</link><description>Old body</description></item>"
        b"</channel></rss>"
    )
    (doc,) = parse_feed(raw, feed_url="").documents
    assert doc.body == "Old body\n" and doc.meta.newsletter_key == "site:old.example"


def test_html_page_given_as_a_feed():
    page = b"<!DOCTYPE html>\n<html><head><title>Kites</title></head><body><p>Hello</p></body></html>"
    with pytest.raises(ParseError, match=r"^not an RSS or Atom feed: it is an HTML page$"):
        parse_feed(page, feed_url="https://kites.example/")


def test_broken_xml_file_is_one_failure():
    items = list(split_items("broken.xml", b'<?xml version="1.0"?>\n<notes><note>unclosed'))
    assert len(items) == 1 and isinstance(items[0], ItemFailure)
    assert items[0].reason.startswith("not an RSS or Atom feed: ")


def test_feed_with_no_entries():
    raw = b"<rss version='2.0'><channel><title>Empty</title></channel></rss>"
    assert parse_feed(raw, feed_url="") == ParsedFeed(title="Empty", link="")
    assert list(split_items("empty.rss", raw)) == [ItemFailure("empty.rss", "the feed has no entries")]
