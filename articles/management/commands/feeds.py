"""``manage.py feeds add URL`` / ``feeds fetch [URL …]`` / ``feeds list`` — subscribed feeds from
the command line (acting as the system: no user). ``fetch`` runs in the foreground, prints one
line per entry, and exits non-zero only when a feed itself cannot be fetched or parsed."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.channels.feeds import feed_fetch, feed_subscribe
from articles.channels.fetch import clean_url
from articles.models import Feed
from articles.selectors.sources import feeds_overview


class Command(BaseCommand):
    help = "Subscribe to, fetch and list RSS/Atom feeds."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,fetch,list}")
        add = sub.add_parser("add", help="subscribe to a feed")
        add.add_argument("url")
        fetch = sub.add_parser("fetch", help="fetch the named feeds, or every active feed")
        fetch.add_argument("urls", nargs="*", metavar="URL")
        sub.add_parser("list", help="the feeds and their last status")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, url, **options):
        try:
            feed = feed_subscribe(url=url, user=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Subscribed: {feed.url} (feed #{feed.pk}, {feed.get_last_status_display()})"))

    def _fetch(self, *, urls, **options):
        if urls:
            feeds = []
            for url in urls:
                try:
                    feeds.append(Feed.objects.get(url=clean_url(url, what="feed")))
                except (Feed.DoesNotExist, ValidationError):
                    raise CommandError(f"no feed with the URL {url} (add it with: feeds add URL)") from None
        else:
            feeds = list(Feed.objects.filter(active=True).order_by("pk"))
        failed = 0
        for feed in feeds:
            report = feed_fetch(feed=feed)
            for result in report.results:
                style = self.style.ERROR if result.failed else self.style.SUCCESS if result.status != "unchanged" else str
                self.stdout.write(style(f"  {result}"))
            if report.ok:
                self.stdout.write(report.summary())
            else:
                failed += 1
                self.stdout.write(self.style.ERROR(report.summary()))
        if failed:
            raise CommandError(f"{failed} of {len(feeds)} feeds could not be fetched")

    def _list(self, **options):
        feeds = list(feeds_overview())
        if not feeds:
            self.stdout.write("No feeds yet (add one with: feeds add URL).")
        for feed in feeds:
            fetched = feed.last_fetched_at.strftime("%Y-%m-%d %H:%M") if feed.last_fetched_at else "never"
            line = f"{feed.url}\t{feed.title or '-'}\t{feed.last_status}\t{fetched}"
            if not feed.active:
                line += "\tinactive"
            if feed.last_error:
                line += f"\t{feed.last_error}"
            self.stdout.write(line)
