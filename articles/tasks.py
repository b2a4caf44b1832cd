"""Background work, run by ``manage.py db_worker`` (django-tasks, database backend).

Tasks take ids, never model instances, and re-load what they need: a job re-run after a worker
crash finds the same rows and the importer's identity rules make it create nothing twice.
"""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run(job_id: int) -> None:
    """Run an upload ImportJob: every item of every file, progress saved as it goes."""
    from articles.services.jobs import import_job_execute

    import_job_execute(job_id=job_id)


@task()
def feed_fetch(feed_id: int) -> None:
    """Fetch one subscribed feed and import its new or changed entries."""
    from articles.channels.feeds import feed_fetch as fetch
    from articles.models import Feed

    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is not None:
        fetch(feed=feed)


@task()
def feeds_fetch_all() -> None:
    """Enqueued by the scheduler: fetch every active feed."""
    from articles.models import Feed

    for feed_id in Feed.objects.filter(active=True).values_list("pk", flat=True):
        feed_fetch.enqueue(feed_id)


@task()
def mail_fetch() -> None:
    """Enqueued by the scheduler: import new messages from the inbound mailbox."""
    from articles.channels.mail import mailbox_fetch

    mailbox_fetch()


@task()
def link_job_run(job_id: int) -> None:
    """Fetch and import one saved link (an ImportJob of kind LINK)."""
    from articles.channels.links import link_job_execute

    link_job_execute(job_id=job_id)
