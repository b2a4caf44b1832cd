"""The import service: one transaction per file, idempotent, identities kept on update."""

from __future__ import annotations

import pytest

from articles.models import Issue, Newsletter, Paragraph, Section
from articles.services.importing import ImportStatus, import_files, issue_reparse
from tests.factories import import_one
from tests.seeds import seed_bytes

SEEDS = ["000", "001", "002", "003", "004"]

pytestmark = pytest.mark.django_db

SMALL = """Import AI 7: A small issue; and a tale
A subtitle
Welcome to Import AI, a newsletter about AI research.
First story headline:
…A dek for the first story…
First paragraph of the first story.
Why this matters: second paragraph with a lead-in.
Read more: A paper (arXiv).
***
Second story headline:
…Second dek…
Only paragraph of the second story.
Thanks for reading!
"""


def _counts():
    return Issue.objects.count(), Section.objects.count(), Paragraph.objects.count()


def test_import_the_five_seeds_then_again_unchanged():
    files = [(f"{s}.txt", seed_bytes(s)) for s in SEEDS]
    first = import_files(files)
    assert [r.status for r in first] == [ImportStatus.CREATED] * 5, [str(r) for r in first]
    assert {i.newsletter.name for i in Issue.objects.all()} == {"Import AI", "Forward Future"}
    assert sorted(Issue.objects.values_list("number", flat=True), key=lambda n: n or 0) == [
        None, None, 384, 395, 396,
    ]
    before = _counts()
    second = import_files(files)
    assert [r.status for r in second] == [ImportStatus.UNCHANGED] * 5
    assert _counts() == before


def test_provenance_is_recorded():
    result = import_one(name="000.txt", raw=seed_bytes("000"))
    issue = result.issue
    assert issue.source_name == "000.txt"
    assert issue.source_format == "importai_text"
    assert len(issue.source_sha256) == 64
    assert issue.source_text.startswith("Import AI 395:")
    assert issue.slug == "import-ai-395"


def test_windows_line_endings_and_bom_are_the_same_issue():
    import_one(name="a.txt", raw=SMALL.encode())
    windows = b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode()
    assert import_one(name="b.txt", raw=windows).status is ImportStatus.UNCHANGED
    assert Issue.objects.count() == 1


def test_changed_bytes_update_in_place_keeping_unchanged_paragraphs():
    created = import_one(name="small.txt", raw=SMALL.encode())
    issue = created.issue
    kept_ids = dict(Paragraph.objects.filter(section__issue=issue).values_list("text", "id"))
    edited = SMALL.replace("Only paragraph of the second story.", "Edited paragraph of the second story.")
    result = import_one(name="renamed.txt", raw=edited.encode())  # same newsletter + number
    assert result.status is ImportStatus.UPDATED
    assert result.issue.pk == issue.pk
    after = dict(Paragraph.objects.filter(section__issue=issue).values_list("text", "id"))
    assert "Only paragraph of the second story." not in after
    for text in ("First paragraph of the first story.", "Read more: A paper (arXiv)."):
        assert after[text] == kept_ids[text]
    assert after["Edited paragraph of the second story."] not in kept_ids.values()
    assert Issue.objects.get().source_name == "renamed.txt"


def test_reordered_sections_keep_ids_and_anchors():
    issue = import_one(name="small.txt", raw=SMALL.encode()).issue
    ids = dict(Section.objects.filter(issue=issue).values_list("anchor", "id"))
    head, first, second = SMALL.split("First story headline:")[0], *SMALL.split("First story headline:")[1].split("***\n")
    swapped = head + second.replace("Thanks for reading!\n", "") + "***\nFirst story headline:" + first.rstrip("\n") + "\nThanks for reading!\n"
    assert import_one(name="small.txt", raw=swapped.encode()).status is ImportStatus.UPDATED
    after = list(Section.objects.filter(issue=issue).order_by("position").values_list("anchor", "id"))
    assert [a for a, _ in after] == ["s-intro", "s-second-story-headline", "s-first-story-headline"]
    assert all(ids[a] == pk for a, pk in after)


def test_failed_file_writes_nothing_and_batch_continues():
    results = import_files(
        [("empty.txt", b""), ("good.txt", SMALL.encode()), ("junk.bin", bytes(range(256)) * 10)]
    )
    assert [r.status for r in results] == [ImportStatus.FAILED, ImportStatus.CREATED, ImportStatus.FAILED]
    assert str(results[0]) == "empty.txt: failed — file is empty"
    assert "binary" in results[2].detail
    assert Issue.objects.count() == 1 and Newsletter.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "file is empty"),
        (bytes(range(256)) * 10, "binary"),
        (b"Import AI 1: x\n" + b"a" * (5 * 1024 * 1024), "limit"),
        (b"<p><strong>Truncated headline:<br /></strong><em>&#8230;dek", "truncated"),
        (b"<div>" * 10_000 + b"x", "nested too deeply"),
        (b"<html></html>", "no stories found"),
        ("Import AI 1: caf\u00e9 only a title\n".encode("latin-1"), ""),
        (b"x" * 1_000_000, "this issue has a paragraph of 1,000,000 characters; the limit is 100,000"),
        (b"Title\n\n" + b"a\n\n" * 200_000, "this issue has 200,001 paragraphs; the limit is 20,000"),
    ],
    ids=[
        "empty", "binary", "oversized", "truncated-html", "nested", "html-nothing", "latin1-no-stories",
        "1mb-paragraph", "200k-paragraphs",
    ],
)
def test_bad_inputs_fail_with_a_reason_and_write_nothing(raw, reason):
    result = import_one(name="bad.txt", raw=raw)
    assert result.status is ImportStatus.FAILED
    assert reason in result.detail and result.detail
    assert str(result).startswith("bad.txt: failed — ")
    assert _counts() == (0, 0, 0)
    assert Newsletter.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "title", "paragraph_chars"),
    [
        (b"Just some text\nthat is no newsletter\n", "Just some text", [21]),
        (b"x" * 100_000, "x" * 80 + "\u2026", [100_000]),  # the longest paragraph allowed (importer/limits.py)
        (b"Import AI 5: one huge line\n" + b"word " * 20_000, "Import AI 5: one huge line", [99_999]),
    ],
    ids=["two-lines", "100k-line", "100k-line-importai"],
)
def test_text_of_no_known_shape_imports_as_a_generic_issue(raw, title, paragraph_chars):
    """Any text is a newsletter issue: no known shape means the generic extractor, never a refusal."""
    result = import_one(name="jottings.txt", raw=raw)
    assert result.status is ImportStatus.CREATED, str(result)
    assert result.issue.title == title
    assert [len(p.text) for p in Paragraph.objects.filter(section__issue=result.issue)] == paragraph_chars
    assert result.issue.newsletter.name in {"Jottings", "Import AI"}


def test_latin1_file_imports_and_says_so():
    raw = SMALL.replace("A subtitle", "Caf\u00e9 society").encode("cp1252")
    result = import_one(name="latin.txt", raw=raw)
    assert result.status is ImportStatus.CREATED
    assert "decoded as cp1252" in result.detail
    assert result.issue.subtitle == "Caf\u00e9 society"
    assert result.issue.source_encoding == "cp1252"


def test_admin_edited_title_survives_reimport_and_reparse():
    issue = import_one(name="002.txt", raw=seed_bytes("002")).issue
    assert issue.number is None
    issue.title, issue.number, issue.metadata_edited = "Import AI 398", 398, True
    issue.save()
    result = issue_reparse(issue=issue)
    assert result.status is ImportStatus.UPDATED
    issue.refresh_from_db()
    assert (issue.title, issue.number) == ("Import AI 398", 398)


def test_reparse_keeps_every_paragraph_identity():
    issue = import_one(name="000.txt", raw=seed_bytes("000")).issue
    ids = set(Paragraph.objects.filter(section__issue=issue).values_list("id", flat=True))
    issue_reparse(issue=issue)
    assert set(Paragraph.objects.filter(section__issue=issue).values_list("id", flat=True)) == ids


def test_forward_future_has_no_mojibake_after_import():
    issue = import_one(name="003.txt", raw=seed_bytes("003")).issue
    assert issue.title == "Scale Is All You Need? Part 2-2"
    assert issue.author == "Kim Isenberg"
    texts = list(Paragraph.objects.filter(section__issue=issue).values_list("text", flat=True))
    texts += list(Section.objects.filter(issue=issue).values_list("headline", flat=True))
    assert texts and not any("\u00e2" in t for t in texts + [issue.title, issue.subtitle])


def test_different_issues_saved_under_the_same_file_name_never_overwrite_each_other():
    first = "<h1>Loop Notes 34</h1><h2>Robots</h2><p>A robot folded towels.</p>"
    second = "<h1>Loop Notes 35</h1><h2>Kettles</h2><p>A kettle learned to wait.</p>"
    a = import_one(name="email.html", raw=first.encode())
    b = import_one(name="email.html", raw=second.encode())
    assert (a.status, b.status) == (ImportStatus.CREATED, ImportStatus.CREATED), [str(a), str(b)]
    assert sorted(Issue.objects.values_list("title", flat=True)) == ["Loop Notes 34", "Loop Notes 35"]
    edited = import_one(name="email.html", raw=first.replace("towels", "shirts").encode())
    assert edited.status is ImportStatus.UPDATED and edited.issue.pk == a.issue.pk
