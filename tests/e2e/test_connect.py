"""Follow a cross-issue reference to the cited issue and find the backlink there."""

from __future__ import annotations

import pytest

from articles.models import Paragraph
from tests.connect_data import issue_source
from tests.factories import import_one

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_reference_and_see_referenced_by(logged_in_page, live_server):
    cited = import_one(name="7.txt", raw=issue_source(7, "Robots sort buttons into bins.")).issue
    citing = import_one(name="8.txt", raw=issue_source(8, "This builds on earlier work (Import AI #7) on robots.")).issue
    paragraph = Paragraph.objects.get(references__target=cited)
    page = logged_in_page
    page.goto(f"{live_server.url}{citing.get_absolute_url()}")
    page.click("a.xref >> text=Import AI #7")
    page.wait_for_url(f"**{cited.get_absolute_url()}")
    assert page.locator("h1.issue-title").inner_text() == cited.title
    backlink = page.locator("#referenced-by li.backlink a")
    assert backlink.inner_text() == str(citing)
    backlink.click()
    page.wait_for_url(f"**{citing.get_absolute_url()}#p-{paragraph.pk}")
    assert page.locator(f"#p-{paragraph.pk} a.xref").get_attribute("href") == cited.get_absolute_url()
