"""Connect features on the pages: reference links, "Referenced by", "Related", topic pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import IssueReference, Paragraph, RelatedStory, Section
from articles.services.highlights import highlight_create
from tests.connect_data import issue_source
from tests.factories import import_one

pytestmark = pytest.mark.django_db


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def pair():
    """Import AI 8 cites Import AI 7 (imported) and Import AI 6 (not imported); returns (7, 8)."""
    cited = import_one(name="7.txt", raw=issue_source(7, "Robots sort buttons into bins.")).issue
    citing = import_one(name="8.txt", raw=issue_source(8, "This builds on (Import AI #7) and Import AI 6.")).issue
    return cited, citing


def test_reference_links_to_the_imported_issue_and_hints_the_missing_one(reader_client, pair):
    cited, citing = pair
    soup = _soup(reader_client.get(citing.get_absolute_url()))
    link = soup.select_one("span.para-text a.xref")
    assert link.get_text() == "Import AI #7"
    assert link["href"] == cited.get_absolute_url()
    missing = soup.select_one("span.para-text span.xref-missing")
    assert missing.get_text() == "Import AI 6"
    assert missing["title"] == "Import AI 6 is not imported"


def test_referenced_by_backlinks_on_the_cited_issue(reader_client, pair):
    cited, citing = pair
    soup = _soup(reader_client.get(cited.get_absolute_url()))
    [item] = soup.select("#referenced-by li.backlink")
    paragraph = Paragraph.objects.get(references__target=cited)
    assert item.a["href"] == f"{citing.get_absolute_url()}#p-{paragraph.pk}"
    assert item.a.get_text() == str(citing)
    assert item.select_one(".backlink-section").get_text() == "Robots learn to sort buttons"
    assert "(Import AI #7)" in item.select_one("blockquote.snippet").get_text()
    # the citing issue has no backlinks section
    assert _soup(reader_client.get(citing.get_absolute_url())).select("#referenced-by") == []


def test_seed_references_render_as_not_imported(reader_client, seeded):
    soup = _soup(reader_client.get(seeded["000"].get_absolute_url()))
    [missing] = soup.select("span.xref-missing")
    assert missing["title"] == "Import AI 393 is not imported"
    soup = _soup(reader_client.get(seeded["004"].get_absolute_url()))
    assert [s.get_text() for s in soup.select("span.xref-missing")] == [
        "Import AI 363", "Import AI #88", "Import AI #372", "Import AI #349", "Import AI #381",
    ]
    # in the HTML issue both references are inside the author's own links: the link wins
    soup = _soup(reader_client.get(seeded["002"].get_absolute_url()))
    assert soup.select(".xref") == []
    assert {a.get_text() for a in soup.select("span.para-text a")} >= {"Import AI #387", "Import AI #123"}
    assert all(a.find("a") is None for a in soup.select("span.para-text a"))


def test_related_list_under_a_story(reader_client, seeded):
    demo = Section.objects.get(issue=seeded["000"], headline__startswith="Drop-in AdamW")
    diloco = Section.objects.get(issue=seeded["002"], headline__contains="bandwidth-efficient")
    distro = Section.objects.get(issue=seeded["004"], headline__contains="distributed training")
    soup = _soup(reader_client.get(seeded["000"].get_absolute_url()))
    aside = soup.select_one(f"#{demo.anchor} aside.related")
    hrefs = [a["href"] for a in aside.select("li a")]
    assert hrefs[:2] == [diloco.get_absolute_url(), distro.get_absolute_url()]  # 0.205, 0.191
    assert aside.select_one("a.topic-link")["href"] == f"/topics/{demo.pk}/"
    tale = seeded["000"].sections.get(kind="tech_tale")
    assert soup.select(f"#{tale.anchor} aside.related") == []
    # the section permalink page shows the same list
    soup = _soup(reader_client.get(demo.get_absolute_url()))
    assert [a["href"] for a in soup.select("aside.related li a")] == hrefs


def _connect(issue_a, issue_b, n):
    """``n`` references from issue_a to issue_b and related links between their stories."""
    paragraphs = list(Paragraph.objects.filter(section__issue=issue_a))
    IssueReference.objects.bulk_create(
        IssueReference(paragraph=p, start=0, end=4, newsletter_name="Test Letter", number=issue_b.number, target=issue_b)
        for p in paragraphs[:n]
    )
    for a, b in zip(issue_a.sections.all()[:n], issue_b.sections.all()[:n], strict=True):
        RelatedStory.objects.get_or_create(section=a, related=b, defaults={"score": 0.5})
        RelatedStory.objects.get_or_create(section=b, related=a, defaults={"score": 0.5})


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_issue_page_queries_constant_with_references_and_related(
    login, users, teams, make_issue, django_assert_max_num_queries
):
    small_a, small_b = make_issue(sections=2, paragraphs=2, number=1), make_issue(sections=2, paragraphs=2, number=2)
    large_a, large_b = make_issue(sections=20, paragraphs=10, number=3), make_issue(sections=20, paragraphs=10, number=4)
    _connect(small_a, small_b, 1)
    _connect(small_b, small_a, 1)
    _connect(large_a, large_b, 20)
    _connect(large_b, large_a, 20)
    for user in (users["dave"], users["alice"]):  # no team, team member
        client = login(user)
        counts = {
            _count(client, issue.get_absolute_url(), django_assert_max_num_queries, 30)
            for issue in (small_a, small_b, large_a, large_b)
        }
        assert len(counts) == 1, counts
    soup = _soup(login(users["alice"]).get(large_a.get_absolute_url()))
    assert len(soup.select("a.xref")) == 20
    assert len(soup.select("#referenced-by li.backlink")) == 20
    assert len(soup.select("aside.related li")) == 20


def _link(a, b, score=0.5):
    RelatedStory.objects.create(section=a, related=b, score=score)
    RelatedStory.objects.create(section=b, related=a, score=score)


@pytest.fixture
def chain(make_issue):
    """Stories a ~ b ~ c ~ d (each in its own issue, numbered 40, 10, 30, 20) and a ~ c."""
    stories = {}
    for name, number in (("a", 40), ("b", 10), ("c", 30), ("d", 20)):
        stories[name] = make_issue(sections=1, paragraphs=1, number=number).sections.get()
    _link(stories["a"], stories["b"])
    _link(stories["b"], stories["c"])
    _link(stories["a"], stories["c"])
    _link(stories["c"], stories["d"])
    return stories


def test_topic_page_two_hops_deduplicated_in_issue_order(reader_client, chain):
    soup = _soup(reader_client.get(f"/topics/{chain['b'].pk}/"))
    ids = [int(li["data-section-id"]) for li in soup.select("li.topic-story")]
    # b's neighbours a, c; their neighbours d (via c); ordered by issue number 10, 20, 30, 40
    assert ids == [chain["b"].pk, chain["d"].pk, chain["c"].pk, chain["a"].pk]
    assert soup.select_one("li.topic-origin")["data-section-id"] == str(chain["b"].pk)
    assert soup.select_one("li.topic-story h2 a")["href"] == chain["b"].get_absolute_url()
    soup = _soup(reader_client.get(f"/topics/{chain['d'].pk}/"))  # d → c → a, b
    assert len(soup.select("li.topic-story")) == 4
    intro = chain["a"].issue.sections.create(position=9, kind="intro", anchor="s-intro")
    assert reader_client.get(f"/topics/{intro.pk}/").status_code == 404  # not a story
    assert reader_client.get("/topics/999999/").status_code == 404


def test_topic_page_shows_only_highlights_the_reader_may_see(login, users, teams, chain):
    team_a, team_b = teams
    pa = chain["a"].paragraphs.get()
    pc = chain["c"].paragraphs.get()
    highlight_create(user=users["alice"], team=team_a, paragraph=pa, start=0, end=4)  # "Lead" team A
    highlight_create(user=users["bob"], team=team_a, paragraph=pc, start=8, end=17, visibility="private")
    highlight_create(user=users["alice"], team=team_a, paragraph=pc, start=18, end=22, visibility="private")
    highlight_create(user=users["carol"], team=team_b, paragraph=pa, start=23, end=27)

    def quotes(user):
        soup = _soup(login(user).get(f"/topics/{chain['b'].pk}/"))
        return sorted(m.get_text() for m in soup.select("li.topic-highlight mark"))

    assert quotes(users["alice"]) == ["“Lead”", "“text”"]  # team + her own private one
    assert quotes(users["bob"]) == ["“Lead”", "“paragraph”"]
    assert quotes(users["carol"]) == ["“with”"]  # only team B's
    assert quotes(users["dave"]) == []  # no team: no highlights at all


def test_topic_page_query_count_is_constant(login, users, teams, chain, make_issue, django_assert_max_num_queries):
    alice = login(users["alice"])
    few = _count(alice, f"/topics/{chain['b'].pk}/", django_assert_max_num_queries, 12)
    for n in range(5):
        extra = make_issue(sections=1, paragraphs=1, number=100 + n).sections.get()
        _link(chain["b"], extra)
        highlight_create(user=users["alice"], team=teams[0], paragraph=extra.paragraphs.get(), start=0, end=4)
    assert _count(alice, f"/topics/{chain['b'].pk}/", django_assert_max_num_queries, 12) == few
