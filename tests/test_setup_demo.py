"""`make run` runs `manage.py setup_demo` every time: the samples are imported on the first run
only (recorded in the database), so a sample issue the user deleted does not come back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import DemoStep, Issue, Team

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _setup_demo() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_samples_imported_once_and_a_deleted_one_stays_deleted():
    first = _setup_demo()
    slugs = sorted(Issue.objects.values_list("slug", flat=True))
    assert len(slugs) >= 5  # every sample file holds at least one issue
    step = DemoStep.objects.get(key="samples")
    assert sorted(step.detail) == slugs
    assert "password" in first and Team.objects.filter(name="Demo team").exists()

    gone = Issue.objects.order_by("pk").first()
    gone_slug = gone.slug
    gone.delete()
    kept = Issue.objects.order_by("pk").last()
    kept.title = "Renamed by the user"
    kept.save(update_fields=["title"])

    second = _setup_demo()
    assert "not imported again" in second
    assert not Issue.objects.filter(slug=gone_slug).exists()
    assert sorted(Issue.objects.values_list("slug", flat=True)) == [s for s in slugs if s != gone_slug]
    assert Issue.objects.get(pk=kept.pk).title == "Renamed by the user"
    assert "password unchanged" in second
    assert DemoStep.objects.count() == 1


def test_an_import_stopped_before_recording_runs_again(tmp_path):
    sample = ROOT / "samples" / "sample-importai-901.txt"
    (tmp_path / sample.name).write_bytes(sample.read_bytes())
    out = io.StringIO()
    call_command("setup_demo", samples=tmp_path, stdout=out)
    assert Issue.objects.count() == 1
    DemoStep.objects.all().delete()  # as if the first run had stopped before its record
    Issue.objects.all().delete()
    call_command("setup_demo", samples=tmp_path, stdout=out)
    assert Issue.objects.count() == 1 and DemoStep.objects.get().detail == [Issue.objects.get().slug]


def test_make_run_imports_samples_only_through_setup_demo():
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "import_newsletters" not in run
    assert re.search(r"manage\.py setup_demo\b", run)
