"""Import through the Django admin and through the management command."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import ImportJob, Issue
from articles.services.jobs import import_job_execute
from tests.seeds import SEEDS_DIR, seed_bytes, seed_path

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/articles/issue/import/"


def _upload(client, files):
    """Post the files; when a job was queued, run it as the worker would (in this thread)."""
    payload = [SimpleUploadedFile(name, data) for name, data in files]
    before = ImportJob.objects.count()
    response = client.post(IMPORT_URL, {"files": payload})
    if ImportJob.objects.count() > before:
        import_job_execute(job_id=ImportJob.objects.latest("pk").pk)
    return response


def _report(job: ImportJob) -> list[str]:
    job.refresh_from_db()
    return [f"{line['name']}: {line['status']} — {line['detail']}" for line in job.report]


def test_import_page_is_linked_from_the_changelist(staff_client):
    soup = BeautifulSoup(staff_client.get(reverse("admin:articles_issue_changelist")).content, "html.parser")
    assert soup.find("a", href=IMPORT_URL).get_text() == "Import newsletters"
    form = BeautifulSoup(staff_client.get(IMPORT_URL).content, "html.parser").find("form", enctype="multipart/form-data")
    assert form.find("input", {"type": "file", "name": "files"}).has_attr("multiple")


def test_non_staff_gets_403_and_anonymous_is_sent_to_login(client, reader_client):
    assert reader_client.get(IMPORT_URL).status_code == 403
    assert _upload(reader_client, [("a.txt", seed_bytes("000"))]).status_code == 403
    assert Issue.objects.count() == 0
    client.logout()
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_upload_five_seeds_reports_per_file(staff_client):
    files = [(seed_path(p).name, seed_bytes(p)) for p in ["000", "001", "002", "003", "004"]]
    response = _upload(staff_client, files + [("empty.txt", b"")])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_issue_import_job", args=[job.pk])
    report = _report(job)
    assert len(report) == 6
    assert sum(": created — " in line for line in report) == 5
    assert report[-1] == "empty.txt: failed — file is empty"
    assert (job.status, job.total, job.done, job.failed) == ("done", 6, 6, 1)
    assert Issue.objects.count() == 5
    _upload(staff_client, files[:1])
    assert _report(ImportJob.objects.latest("pk"))[-1].startswith(f"{files[0][0]}: unchanged")


def test_upload_without_files_shows_form_error(staff_client):
    response = staff_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("ul.errorlist") is not None


def test_reparse_action(staff_client):
    _upload(staff_client, [("000.txt", seed_bytes("000"))])
    issue = Issue.objects.get()
    response = staff_client.post(
        reverse("admin:articles_issue_changelist"),
        {"action": "reparse_from_source", "_selected_action": [issue.pk]},
    )
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages[-1].startswith("000.txt: updated — re-parsed; sections kept")


def test_edit_title_and_number_in_admin(staff_client):
    _upload(staff_client, [("002.txt", seed_bytes("002"))])
    issue = Issue.objects.get()
    url = reverse("admin:articles_issue_change", args=[issue.pk])
    form = BeautifulSoup(staff_client.get(url).content, "html.parser").find("form", id="issue_form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name") and i.get("type") != "submit"}
    data |= {select["name"]: select.find("option", selected=True)["value"] for select in form.find_all("select")}
    data |= {"title": "Import AI 398: edited", "number": "398"}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    issue.refresh_from_db()
    assert (issue.title, issue.number, issue.metadata_edited) == ("Import AI 398: edited", 398, True)


def test_management_command_imports_a_folder(capsys):
    if not SEEDS_DIR.is_dir():
        pytest.skip("seed folder absent")
    call_command("import_newsletters", str(SEEDS_DIR))
    out = capsys.readouterr().out
    assert out.count(": created — ") == 5
    assert "5 file(s), 5 issue(s): 5 created, 0 updated, 0 unchanged, 0 failed" in out
    call_command("import_newsletters", str(SEEDS_DIR))
    assert capsys.readouterr().out.count(": unchanged — ") == 5


def test_management_command_fails_on_bad_file(tmp_path, capsys):
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_bytes(seed_bytes("000"))
    with pytest.raises(CommandError, match="1 item\\(s\\) failed"):
        call_command("import_newsletters", str(tmp_path))
    out = capsys.readouterr().out
    assert "bad.txt: failed — file is empty" in out
    assert Issue.objects.count() == 1


def test_management_command_missing_path():
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_newsletters", "/nonexistent/path")


def test_admin_never_shows_private_annotations(staff_client, teams, users, small_issue):
    from articles.models import Paragraph
    from articles.services import highlights, notes

    para = Paragraph.objects.filter(section__issue=small_issue).first()
    highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=0, end=5, visibility="private")
    highlights.highlight_create(user=users["bob"], team=teams[0], paragraph=para, start=6, end=9)
    notes.note_create(user=users["bob"], team=teams[0], paragraph=para, body="PRIVATE-NOTE", visibility="private")
    for url in ("/admin/articles/highlight/", "/admin/articles/note/"):
        page = staff_client.get(url)
        assert page.status_code == 200
        assert b"PRIVATE-NOTE" not in page.content
    rows = BeautifulSoup(staff_client.get("/admin/articles/highlight/").content, "html.parser").select("#result_list tbody tr")
    assert len(rows) == 1
