"""Poll the inbound mailbox once, in the foreground (the scheduler does it in the background)."""

from django.core.management.base import BaseCommand, CommandError

from articles.channels.mail import MailboxError, mailbox_fetch


class Command(BaseCommand):
    help = "Import new messages from the mailbox configured by DIGEST_IMAP_*; processed messages are marked, never deleted."

    def handle(self, *args, **options):
        try:
            report = mailbox_fetch()
        except MailboxError as exc:
            raise CommandError(str(exc)) from exc
        for result in report.results:
            self.stdout.write(str(result))
        self.stdout.write(str(report))
        if report.job_id:
            self.stdout.write(f"report: /admin/articles/issue/import/{report.job_id}/")
