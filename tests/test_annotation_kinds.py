"""Every annotation kind is handled by every feature that handles annotations.

``articles.kinds.ANNOTATION_KINDS`` lists the kinds once; the search index, the reader exports
and the team archive each keep a registry keyed by it. Adding a kind without teaching one of them
fails here; the second half checks that the registries are what the features actually run.
"""

from __future__ import annotations

import pytest

from articles import kinds
from articles.backup import archive_export
from articles.export import csv_export, jsonld, markdown
from articles.models import DocumentKind, SearchDocument
from articles.search import indexing
from articles.selectors import export
from tests.export_world import annotate

ANNOTATION_KINDS = ("highlight", "note", "comment", "section_tag")

REGISTRIES = {
    "search index (indexing.DOCUMENT_BUILDERS)": indexing.DOCUMENT_BUILDERS,
    "export reads (selectors.export.EXPORT_READS)": export.EXPORT_READS,
    "Markdown export (markdown.SECTION_WRITERS)": markdown.SECTION_WRITERS,
    "CSV export (csv_export.SECTION_WRITERS)": csv_export.SECTION_WRITERS,
    "JSON-LD export (jsonld.SECTION_WRITERS)": jsonld.SECTION_WRITERS,
    "team archive (archive_export.ARCHIVE_SECTIONS)": archive_export.ARCHIVE_SECTIONS,
}


def test_the_kinds_are_declared_once():
    assert kinds.ANNOTATION_KINDS == ANNOTATION_KINDS


@pytest.mark.parametrize("name", REGISTRIES)
def test_every_kind_has_exactly_one_entry(name):
    assert sorted(REGISTRIES[name]) == sorted(kinds.ANNOTATION_KINDS), name


def test_search_builders_run_in_the_order_of_the_kinds():
    assert tuple(indexing.DOCUMENT_BUILDERS) == kinds.ANNOTATION_KINDS


def test_archive_sections_keep_the_file_order():
    """The format's order of lists; each kind has its own list, apart from the fixed ones."""
    assert [s.key for s in archive_export.ARCHIVE_SECTIONS.values()] == ["section_tags", "highlights", "notes", "threads"]


# --- the registries are what runs ----------------------------------------------------------------


def _without(module, registry: str, kind: str, monkeypatch) -> None:
    """Replace ``module.registry`` by a copy without ``kind`` (the original, order included, comes back)."""
    monkeypatch.setattr(module, registry, {k: v for k, v in getattr(module, registry).items() if k != kind})


@pytest.fixture
def world(teams, users, small_issue):
    """The annotated small issue (see tests/export_world.py)."""
    return annotate(teams, users, small_issue)


@pytest.mark.django_db
def test_the_indexer_indexes_what_document_builders_lists(world, monkeypatch):
    def kinds_indexed():
        indexing.index_rebuild()
        return set(SearchDocument.objects.values_list("kind", flat=True))

    everything = {DocumentKind.ISSUE, DocumentKind.SECTION, DocumentKind.PARAGRAPH}
    everything |= {DocumentKind.HIGHLIGHT, DocumentKind.NOTE, DocumentKind.COMMENT, DocumentKind.TAG}
    assert kinds_indexed() == everything
    _without(indexing, "DOCUMENT_BUILDERS", kinds.NOTE, monkeypatch)
    assert kinds_indexed() == everything - {DocumentKind.NOTE}


@pytest.mark.django_db
def test_the_exports_write_what_their_registries_list(world, users, teams, small_issue, monkeypatch):
    def document():
        return export.export_document(user=users["alice"], team=teams[0], issue=small_issue,
                                      absolute=lambda p: "https://digest.example" + p, export_path="/x")

    def csv_kinds():
        return {row["kind"] for row in csv_export.document_rows(document())}

    assert csv_kinds() == {"highlight", "note", "comment"}
    assert "Tags: #robotics #must-read" in markdown.document_markdown(document(), team_wide=False).splitlines()
    _without(csv_export, "SECTION_WRITERS", kinds.NOTE, monkeypatch)
    assert csv_kinds() == {"highlight", "comment"}
    _without(markdown, "SECTION_WRITERS", kinds.SECTION_TAG, monkeypatch)
    lines = markdown.document_markdown(document(), team_wide=False).splitlines()
    assert not [line for line in lines if line.startswith("Tags:")]
    motivations = {a["motivation"] for a in jsonld.document_jsonld(document())["first"]["items"]}
    assert motivations == {"assessing", "commenting", "replying"}
    _without(jsonld, "SECTION_WRITERS", kinds.COMMENT, monkeypatch)
    _without(jsonld, "SECTION_WRITERS", kinds.HIGHLIGHT, monkeypatch)  # a highlight's replies go with it
    motivations = {a["motivation"] for a in jsonld.document_jsonld(document())["first"]["items"]}
    assert motivations == {"commenting"}
    _without(export, "EXPORT_READS", kinds.NOTE, monkeypatch)
    with pytest.raises(KeyError):
        document()


@pytest.mark.django_db
def test_the_archive_writes_what_archive_sections_lists(world, teams, monkeypatch):
    fixed = ["format", "version", "exported_at", "instance", "team", "users", "issues", "tags"]
    archive = archive_export.team_archive_export(team=teams[0])
    assert list(archive) == [*fixed, "section_tags", "highlights", "notes", "threads"]
    assert len(archive["section_tags"]) == 2 and len(archive["notes"]) == 2
    _without(archive_export, "ARCHIVE_SECTIONS", kinds.SECTION_TAG, monkeypatch)
    assert list(archive_export.team_archive_export(team=teams[0])) == [*fixed, "highlights", "notes", "threads"]
