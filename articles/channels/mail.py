"""The inbound mailbox: newsletters sent (or forwarded) to one address, fetched over IMAP with
imap-tools, the way Paperless-ngx's mail fetcher does, and fed to the one import pipeline.

Processed messages are marked, never deleted or moved: with the keyword ``$DigestImported`` when
the folder accepts keywords (its PERMANENTFLAGS has ``\\*``; Dovecot, Gmail, Fastmail do), else
with ``\\Flagged``. Only unmarked messages are fetched, and ``\\Seen`` is left alone (a person
reading the mailbox still sees what is new). A message is marked when it imported, was unchanged,
or failed for a reason in its content (it would fail again: it must not be retried every few
minutes); it stays unmarked when its import could not be saved (a database problem) or the
connection dropped, so the next poll retries it. Marking happens after the outcome is recorded
in the poll's ImportJob, so a crash between the two costs only an "unchanged" next time.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

from articles.models import ImportJob
from articles.services.importing import ImportResult, ImportStatus, import_source

logger = logging.getLogger(__name__)

KEYWORD = "$DigestImported"
FLAGGED = "\\Flagged"
MAX_MESSAGES_PER_POLL = 500
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class MailboxError(Exception):
    """The mailbox could not be used: not configured, unreachable, or the login was refused."""


class MailboxNotConfigured(MailboxError):
    pass


@dataclass
class MailFetchReport:
    messages: int = 0  # fetched this poll
    marked: int = 0  # imported, unchanged or failed for good: marked on the server
    retry: int = 0  # left unmarked for the next poll
    results: list[ImportResult] = field(default_factory=list)
    job_id: int | None = None
    marker: str = KEYWORD

    def count(self, status: ImportStatus) -> int:
        return sum(result.status is status for result in self.results)

    def __str__(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in ImportStatus)
        text = f"{self.messages} message(s), {len(self.results)} issue(s): {counts}; {self.marked} marked {self.marker}"
        return text + (f"; {self.retry} left for the next poll" if self.retry else "")


def _transient(result: ImportResult) -> bool:
    """A failure that says nothing about the message (the database): leave it unmarked, the next
    poll retries it."""
    return result.failed and result.retryable


def mailbox_connect():
    """A logged-in imap-tools mailbox with DIGEST_IMAP_FOLDER selected; raises MailboxError."""
    host, port = settings.DIGEST_IMAP_HOST, settings.DIGEST_IMAP_PORT
    security = settings.DIGEST_IMAP_SECURITY
    if not host:
        raise MailboxNotConfigured("the mailbox is not configured (set DIGEST_IMAP_HOST, DIGEST_IMAP_USER, "
                                   "DIGEST_IMAP_PASSWORD)")
    timeout = settings.DIGEST_FETCH_TIMEOUT
    try:
        if security == "ssl":
            mailbox = MailBox(host, port, timeout=timeout, ssl_context=ssl.create_default_context())
        elif security == "starttls":
            mailbox = MailBoxStartTls(host, port, timeout=timeout, ssl_context=ssl.create_default_context())
        elif security == "plain":
            if host not in LOCAL_HOSTS:
                raise MailboxNotConfigured(
                    f"DIGEST_IMAP_SECURITY=plain is only allowed for a server on this machine, not {host!r}"
                )
            mailbox = MailBoxUnencrypted(host, port, timeout=timeout)
        else:
            raise MailboxNotConfigured(f"DIGEST_IMAP_SECURITY must be ssl, starttls or plain, not {security!r}")
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"cannot reach the mailbox at {host}:{port} ({security}): {exc}") from exc
    try:
        mailbox.login(settings.DIGEST_IMAP_USER, settings.DIGEST_IMAP_PASSWORD, initial_folder=None)
    except MailboxLoginError as exc:
        _close(mailbox)
        raise MailboxError(f"the mailbox at {host} refused the login of {settings.DIGEST_IMAP_USER!r} "
                           "(check DIGEST_IMAP_USER and DIGEST_IMAP_PASSWORD)") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        _close(mailbox)
        raise MailboxError(f"cannot log in to the mailbox at {host}: {exc}") from exc
    try:
        mailbox.folder.set(settings.DIGEST_IMAP_FOLDER)
    except (OSError, imaplib.IMAP4.error) as exc:
        _close(mailbox)
        raise MailboxError(f"cannot open folder {settings.DIGEST_IMAP_FOLDER!r}: {exc}") from exc
    return mailbox


def _close(mailbox) -> None:
    try:
        mailbox.logout()
    except Exception:  # already gone
        pass


def _marker(mailbox) -> str:
    """The keyword when the selected folder accepts keywords, else \\Flagged."""
    permanent = mailbox.client.untagged_responses.get("PERMANENTFLAGS") or [b""]
    return KEYWORD if b"\\*" in permanent[-1] else FLAGGED


def mailbox_fetch() -> MailFetchReport:
    """Import every unmarked message of the configured folder; raises MailboxError when the
    mailbox cannot be used (nothing is written then). A poll that found messages is recorded as
    an ImportJob (kind mail) with one report line per issue."""
    mailbox = mailbox_connect()
    report = MailFetchReport()
    job = None
    try:
        report.marker = marker = _marker(mailbox)
        criteria = AND(no_keyword=KEYWORD) if marker == KEYWORD else AND(flagged=False)
        uids = mailbox.uids(criteria)[:MAX_MESSAGES_PER_POLL]
        if not uids:
            return report
        job = ImportJob.objects.create(kind=ImportJob.Kind.MAIL, status=ImportJob.Status.RUNNING,
                                       started_at=timezone.now(), total=len(uids))
        report.job_id = job.pk
        lines: list[dict] = []
        for msg in mailbox.fetch(AND(uid=uids), mark_seen=False, bulk=25):
            report.messages += 1
            subject = (msg.subject or "").strip() or "(no subject)"
            name = f"mail: {subject}"
            ImportJob.objects.filter(pk=job.pk).update(current=name[:500])
            results = import_source(name=name, raw=msg.obj.as_bytes())
            report.results += results
            retry = any(_transient(r) for r in results)
            for result in results:
                line = result.as_dict()
                if result.failed and not retry:
                    line["detail"] += f" (message marked {marker}; it will not be retried)"
                elif retry:
                    line["detail"] += " (message left unmarked; the next poll retries it)"
                lines.append(line)
            ImportJob.objects.filter(pk=job.pk).update(
                done=report.messages, failed=sum(r["status"] == "failed" for r in lines), report=lines,
            )
            if retry:
                report.retry += 1
            else:
                mailbox.flag(msg.uid, marker, True)
                report.marked += 1
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, current="", finished_at=timezone.now())
        return report
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        if job is not None:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, current="",
                                                       error=f"mailbox connection lost: {exc}", finished_at=timezone.now())
        raise MailboxError(f"the mailbox connection failed during the poll: {exc}") from exc
    except Exception as exc:
        if job is not None:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, current="",
                                                       error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
        raise
    finally:
        _close(mailbox)
