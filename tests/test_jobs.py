"""Background upload jobs: the service, the worker running them, the admin's progress page."""

from __future__ import annotations

import signal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import ImportJob, ImportJobFile, Issue
from articles.services import importing, jobs
from tests.job_samples import sample_files, zip_of

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/articles/issue/import/"


class WorkerDied(BaseException):
    """Stands for the worker process being killed: not an Exception, so nothing catches it."""


def _job(user, files, capture=None):
    return jobs.import_job_create(user=user, files=files)


def _page(client, job, **headers):
    response = client.get(reverse("admin:articles_issue_import_job", args=[job.pk]), headers=headers)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def run_worker() -> None:
    """Run every queued task in this process, as ``manage.py db_worker --batch`` would. The worker
    closes a connection that is inside a transaction: callers use ``transaction=True``."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_only_staff_may_create_a_job(reader):
    with pytest.raises(PermissionDenied):
        jobs.import_job_create(user=reader, files=[("a.txt", b"x")])
    assert ImportJob.objects.count() == 0


def test_job_counts_report_and_files_deleted(staff, django_capture_on_commit_callbacks):
    files = [("bundle.zip", zip_of(sample_files(5))), ("empty.txt", b"")]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(user=staff, files=files)
    assert DBTaskResult.objects.count() == 1  # enqueued once the upload committed
    assert list(job.files.values_list("name", flat=True)) == ["bundle.zip", "empty.txt"]
    jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.failed, job.current) == ("done", 6, 6, 1, "")
    assert [(e["name"], e["status"]) for e in job.report] == [
        *[(f"bundle.zip/{name}", "created") for name, _ in sample_files(5)], ("empty.txt", "failed"),
    ]
    assert job.report[-1]["detail"] == "file is empty"
    assert {e["issue_id"] for e in job.report[:5]} == set(Issue.objects.values_list("pk", flat=True))
    assert job.started_at and job.finished_at and not ImportJobFile.objects.exists()


@pytest.mark.parametrize("stored_before_crash", [False, True])
def test_rerun_after_a_crash_creates_nothing_twice(staff, monkeypatch, stored_before_crash):
    job = jobs.import_job_create(user=staff, files=sample_files(6))
    calls = []

    def dying_import_item(item):
        calls.append(item.name)
        if len(calls) == 4:  # the worker dies on the fourth item, before or after storing it
            if stored_before_crash:
                importing.import_item(item)
            raise WorkerDied
        return importing.import_item(item)

    monkeypatch.setattr(jobs, "import_item", dying_import_item)
    with pytest.raises(WorkerDied):
        jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    # done is saved per item; the report only every REPORT_SAVE_EVERY items (none yet here)
    assert (job.status, job.total, job.done, len(job.report)) == ("running", 6, 3, 0)
    assert Issue.objects.count() == (4 if stored_before_crash else 3)

    monkeypatch.undo()
    jobs.import_job_execute(job_id=job.pk)  # the re-enqueued task
    jobs.import_job_execute(job_id=job.pk)  # and once more: a finished job is left alone
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.failed, job.error) == ("done", 6, 6, 0, "")
    assert Issue.objects.count() == 6
    statuses = [e["status"] for e in job.report]
    # the items done before the crash are redone and found stored: nothing is created twice
    assert statuses == ["unchanged"] * 3 + ["unchanged" if stored_before_crash else "created"] + ["created"] * 2
    assert [e["name"] for e in job.report] == [name for name, _ in sample_files(6)]


@pytest.mark.parametrize("stale_report", [[], [{"name": "not-this-item.txt", "status": "created"}]])
def test_rerun_of_a_job_marked_running_from_scratch(staff, stale_report):
    """A job whose report is lost or belongs to other items (status set back mid-way) restarts
    its counts cleanly."""
    job = jobs.import_job_create(user=staff, files=sample_files(3))
    jobs.import_job_execute(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status="running", done=1, report=stale_report)
    ImportJobFile.objects.create(job=job, position=0, name="again.txt", data=sample_files(1)[0][1])
    jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 1, 1)
    assert job.report[0]["status"] == "unchanged" and Issue.objects.count() == 3


def test_unexpected_error_marks_the_job_failed_and_keeps_files(staff, monkeypatch):
    job = jobs.import_job_create(user=staff, files=sample_files(2))

    def broken(job):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "_file_items", broken)
    with pytest.raises(RuntimeError):
        jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "RuntimeError: disk on fire")
    assert job.files.count() == 2
    monkeypatch.undo()
    assert jobs.import_job_rerun(user=staff, job=job)
    jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.error) == ("done", 2, "")
    assert not jobs.import_job_rerun(user=staff, job=job)  # finished: nothing to re-run


@pytest.mark.django_db(transaction=True)  # the worker closes the connection (PostgreSQL)
def test_the_worker_runs_an_enqueued_job(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(user=staff, files=sample_files(4))
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    assert Issue.objects.count() == 4
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)  # the worker closes the connection (PostgreSQL)
def test_admin_upload_creates_a_job_and_redirects_to_its_progress(staff_client, django_capture_on_commit_callbacks):
    payload = [SimpleUploadedFile(name, data) for name, data in sample_files(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(IMPORT_URL, {"files": payload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_issue_import_job", args=[job.pk])
    assert (job.kind, job.status, job.files.count(), Issue.objects.count()) == ("upload", "queued", 3, 0)
    assert DBTaskResult.objects.count() == 1
    soup = _page(staff_client, job)
    progress = soup.select_one("#job-progress")
    assert progress["hx-trigger"] == "every 1s" and progress["hx-get"] == response["Location"]
    assert soup.select_one("script[src*='vendor/htmx']") is not None
    assert not soup.select("script:not([src])") and not soup.select("#job-progress [style]")

    run_worker()
    soup = _page(staff_client, job)
    progress = soup.select_one("#job-progress")
    assert not progress.has_attr("hx-trigger")  # finished: polling stops
    bar = progress.select_one("progress")
    assert bar["value"] == bar["max"] == "3"
    rows = progress.select("table.job-report tbody tr")
    assert [r.find_all("td")[0].get_text() for r in rows] == [name for name, _ in sample_files(3)]
    assert [r.find_all("td")[1].get_text() for r in rows] == ["created"] * 3
    links = [r.find("a")["href"] for r in rows]
    assert links == [i.get_absolute_url() for i in Issue.objects.order_by("pk")]
    assert progress.select_one(".job-counts").get_text(" ", strip=True).startswith("3 created, 0 updated")


def test_progress_shows_current_item_and_failures_so_far(staff, staff_client):
    job = jobs.import_job_create(user=staff, files=sample_files(1))
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", total=10, done=4, failed=1, current="bundle.zip/gazette-5.md",
        report=[{"name": "bad.txt", "status": "failed", "detail": "file is empty", "issue_id": None}] + [
            {"name": f"ok-{i}.txt", "status": "created", "detail": "", "issue_id": None} for i in range(3)
        ],
    )
    soup = _page(staff_client, job, HX_Request="true")
    assert soup.select_one("#job-progress") is not None and soup.find("html") is None  # the fragment only
    assert soup.select_one("progress")["value"] == "4" and soup.select_one("progress")["max"] == "10"
    assert soup.select_one(".job-current span").get_text() == "bundle.zip/gazette-5.md"
    assert [li.get_text() for li in soup.select(".job-failures li")] == ["bad.txt: file is empty"]
    assert soup.select_one("#job-progress")["hx-trigger"] == "every 1s"


def test_progress_page_is_staff_only(client, reader_client, staff):
    job = jobs.import_job_create(user=staff, files=sample_files(1))
    url = reverse("admin:articles_issue_import_job", args=[job.pk])
    assert reader_client.get(url).status_code == 403
    assert reader_client.get(url, headers={"HX-Request": "true"}).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_progress_fragment_query_count_does_not_grow_with_the_report(staff, staff_client):
    counts = []
    for size in (2, 10):
        job = jobs.import_job_create(user=staff, files=sample_files(size))
        jobs.import_job_execute(job_id=job.pk)
        with CaptureQueriesContext(connection) as queries:
            soup = _page(staff_client, job, HX_Request="true")
        assert len(soup.select("table.job-report tbody tr")) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 5, [q["sql"][:80] for q in queries.captured_queries]  # session, user, job, issues, memberships (context processor)


@pytest.mark.django_db(transaction=True)  # the worker closes the connection (PostgreSQL)
def test_job_admin_lists_jobs_and_reruns(staff, staff_client, django_capture_on_commit_callbacks):
    job = jobs.import_job_create(user=staff, files=sample_files(2))
    ImportJob.objects.filter(pk=job.pk).update(status="running", done=1)  # a worker died
    soup = BeautifulSoup(staff_client.get(reverse("admin:articles_importjob_changelist")).content, "html.parser")
    row = soup.select_one("#result_list tbody tr")
    assert row.select_one("td.field-status").get_text() == "Running"
    assert row.select_one("td.field-progress_link a")["href"] == reverse("admin:articles_issue_import_job", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:articles_importjob_changelist"), {"action": "rerun", "_selected_action": [job.pk]},
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued" and DBTaskResult.objects.count() == 2  # the upload's task and the re-run's
    run_worker()  # runs the job once; the second task finds it done and does nothing
    job.refresh_from_db()
    assert (job.status, job.done, Issue.objects.count()) == ("done", 2, 2)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2


def test_rerun_resumes_from_the_saved_report(staff, monkeypatch):
    """With the report saved every 2 items, a crash on the 4th item keeps 2 entries; the re-run
    redoes the 3rd (found stored: unchanged) and carries on."""
    monkeypatch.setattr(jobs, "REPORT_SAVE_EVERY", 2)
    job = jobs.import_job_create(user=staff, files=sample_files(5))
    calls = []

    def dying_import_item(item):
        calls.append(item.name)
        if len(calls) == 4:
            raise WorkerDied
        return importing.import_item(item)

    monkeypatch.setattr(jobs, "import_item", dying_import_item)
    with pytest.raises(WorkerDied):
        jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert (job.done, len(job.report)) == (3, 2)
    monkeypatch.setattr(jobs, "import_item", importing.import_item)
    jobs.import_job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert [e["status"] for e in job.report] == ["created", "created", "unchanged", "created", "created"]
    assert (job.status, job.done, Issue.objects.count()) == ("done", 5, 5)
