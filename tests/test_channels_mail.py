"""The inbound mailbox against a real Dovecot on 127.0.0.1 (tests/imap_server.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from imap_tools import MailBoxUnencrypted

from articles.channels import mail
from articles.models import ImportJob, Issue
from articles.services.importing import ImportResult, ImportStatus
from tests.imap_server import imap_server  # noqa: F401  (the session fixture)
from tests.job_samples import forwarded_message, newsletter_message, no_text_message

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _without_database_url() -> dict[str, str]:
    """The environment for a child ``manage.py``: SQLite in a temporary DIGEST_DATA_DIR, never the
    database DATABASE_URL names (CI's PostgreSQL run)."""
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


@pytest.fixture
def mailbox(imap_server, settings):  # noqa: F811
    """The Dovecot user's INBOX, emptied, with Digest's DIGEST_IMAP_* settings pointing at it."""
    settings.DIGEST_IMAP_HOST = imap_server.host
    settings.DIGEST_IMAP_PORT = imap_server.port
    settings.DIGEST_IMAP_USER = imap_server.user
    settings.DIGEST_IMAP_PASSWORD = imap_server.password
    settings.DIGEST_IMAP_FOLDER = "INBOX"
    settings.DIGEST_IMAP_SECURITY = "plain"
    with _client(imap_server) as box:
        box.delete(box.uids())
        yield box


def _client(server):
    return MailBoxUnencrypted(server.host, server.port).login(server.user, server.password, "INBOX")


def _deliver(box, *messages) -> None:
    for message in messages:
        box.append(message.as_bytes(), "INBOX")


def _server_flags(box) -> list[tuple[str, tuple[str, ...]]]:
    """(subject, flags) of every message on the server, marked or not."""
    box.folder.set("INBOX")  # re-select: see the other session's changes
    return sorted((m.subject, tuple(f for f in m.flags if f != "\\Recent")) for m in box.fetch(mark_seen=False, headers_only=True))


def test_two_messages_two_issues_then_nothing(mailbox):
    _deliver(mailbox, newsletter_message(1), newsletter_message(2))
    report = mail.mailbox_fetch()
    assert (report.messages, report.marked, report.retry, report.count(ImportStatus.CREATED)) == (2, 2, 0, 2)
    assert sorted(Issue.objects.values_list("title", flat=True)) == ["Sparse Ducks", "The Mirror Benchmark"]
    job = ImportJob.objects.get()
    assert (job.kind, job.status, job.total, job.done, job.failed) == ("mail", "done", 2, 2, 0)
    assert [line["name"] for line in job.report] == [
        "mail: The Gazette of Gadgets #1: Sparse Ducks", "mail: The Gazette of Gadgets #2: The Mirror Benchmark",
    ]
    # marked, never deleted, and still unread for the people who read this mailbox
    assert _server_flags(mailbox) == [
        ("The Gazette of Gadgets #1: Sparse Ducks", ("$DigestImported",)),
        ("The Gazette of Gadgets #2: The Mirror Benchmark", ("$DigestImported",)),
    ]

    again = mail.mailbox_fetch()
    assert (again.messages, again.results, again.job_id) == (0, [], None)
    assert Issue.objects.count() == 2 and ImportJob.objects.count() == 1
    assert len(_server_flags(mailbox)) == 2


def test_forward_and_a_bad_message_is_reported_and_marked(mailbox):
    _deliver(mailbox, forwarded_message(), no_text_message())
    report = mail.mailbox_fetch()
    assert (report.messages, report.marked, report.retry) == (2, 2, 0)
    assert [(r.name, r.status) for r in report.results] == [
        ("mail: Fwd: Lantern Letter 12: Lanterns and language models", ImportStatus.CREATED),
        ("mail: Photo only", ImportStatus.FAILED),
    ]
    assert Issue.objects.get().title == "Lantern Protocol"
    failed = ImportJob.objects.get().report[1]
    assert failed["status"] == "failed"
    assert failed["detail"].endswith("(message marked $DigestImported; it will not be retried)")
    assert [flags for _, flags in _server_flags(mailbox)] == [("$DigestImported",)] * 2
    assert mail.mailbox_fetch().messages == 0  # the bad message does not come back every poll


def test_a_database_failure_leaves_the_message_for_the_next_poll(mailbox, monkeypatch):
    _deliver(mailbox, newsletter_message(3))
    real = mail.import_source

    def database_down(*, name, raw, **kwargs):
        return [ImportResult(name, ImportStatus.FAILED, detail="could not be saved (database is locked)", retryable=True)]

    monkeypatch.setattr(mail, "import_source", database_down)
    report = mail.mailbox_fetch()
    assert (report.messages, report.marked, report.retry) == (1, 0, 1)
    assert _server_flags(mailbox) == [("The Gazette of Gadgets #3: Robots in the Orchard", ())]
    assert "the next poll retries it" in ImportJob.objects.get().report[0]["detail"]

    monkeypatch.setattr(mail, "import_source", real)
    report = mail.mailbox_fetch()
    assert (report.messages, report.marked, report.count(ImportStatus.CREATED)) == (1, 1, 1)


def test_flagged_is_the_marker_where_keywords_are_not_accepted(mailbox, monkeypatch):
    monkeypatch.setattr(mail, "_marker", lambda box: mail.FLAGGED)
    _deliver(mailbox, newsletter_message(4))
    assert mail.mailbox_fetch().marked == 1
    assert _server_flags(mailbox) == [("The Gazette of Gadgets #4: Quiet GPUs", ("\\Flagged",))]
    assert mail.mailbox_fetch().messages == 0


def test_wrong_password_is_a_clear_error_and_writes_nothing(mailbox, settings):
    _deliver(mailbox, newsletter_message(5))
    settings.DIGEST_IMAP_PASSWORD = "not-the-password"
    with pytest.raises(mail.MailboxError, match="refused the login of 'digest'"):
        mail.mailbox_fetch()
    assert Issue.objects.count() == 0 and ImportJob.objects.count() == 0
    assert _server_flags(mailbox) == [("The Gazette of Gadgets #5: Tiny Translators", ())]


def test_plain_imap_only_to_this_machine(settings):
    settings.DIGEST_IMAP_HOST = "imap.example.org"
    settings.DIGEST_IMAP_SECURITY = "plain"
    with pytest.raises(mail.MailboxNotConfigured, match="only allowed for a server on this machine"):
        mail.mailbox_fetch()


def test_unreachable_server(settings, imap_server):  # noqa: F811
    settings.DIGEST_IMAP_HOST = "127.0.0.1"
    settings.DIGEST_IMAP_PORT = 1  # nothing listens there
    settings.DIGEST_IMAP_SECURITY = "plain"
    with pytest.raises(mail.MailboxError, match="cannot reach the mailbox at 127.0.0.1:1"):
        mail.mailbox_fetch()


def test_command_imports_and_reports(mailbox, capsys):
    _deliver(mailbox, newsletter_message(6))
    call_command("fetch_mail")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("mail: The Gazette of Gadgets #6: Weather for Bees: created — ")
    assert out[1] == "1 message(s), 1 issue(s): 1 created, 0 updated, 0 unchanged, 0 failed; 1 marked $DigestImported"


def _run_command(env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {**_without_database_url(), "DIGEST_DATA_DIR": str(tmp_path), **env_extra}
    return subprocess.run([sys.executable, "manage.py", "fetch_mail"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_command_exit_codes(imap_server, tmp_path):  # noqa: F811
    not_configured = _run_command({"DIGEST_IMAP_HOST": ""}, tmp_path)
    assert not_configured.returncode == 1
    assert "CommandError: the mailbox is not configured (set DIGEST_IMAP_HOST" in not_configured.stderr
    base = {"DIGEST_IMAP_HOST": imap_server.host, "DIGEST_IMAP_PORT": str(imap_server.port),
            "DIGEST_IMAP_USER": imap_server.user, "DIGEST_IMAP_SECURITY": "plain"}
    refused = _run_command({**base, "DIGEST_IMAP_PASSWORD": "wrong"}, tmp_path)
    assert refused.returncode == 1 and "refused the login of 'digest'" in refused.stderr
    unreachable = _run_command({**base, "DIGEST_IMAP_PORT": "1", "DIGEST_IMAP_PASSWORD": "x"}, tmp_path)
    assert unreachable.returncode == 1 and "cannot reach the mailbox at 127.0.0.1:1" in unreachable.stderr
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env={**_without_database_url(), "DIGEST_DATA_DIR": str(tmp_path)})
    with _client(imap_server) as box:
        box.delete(box.uids())
    ok = _run_command({**base, "DIGEST_IMAP_PASSWORD": imap_server.password}, tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "0 message(s), 0 issue(s): 0 created, 0 updated, 0 unchanged, 0 failed; 0 marked $DigestImported"
