"""Reads for the admin's import-job progress page: the job and its report lines with issue links
(two queries, whatever the number of lines)."""

from __future__ import annotations

from dataclasses import dataclass

from articles.models import ImportJob, Issue


@dataclass(frozen=True)
class ReportLine:
    name: str
    status: str
    detail: str
    issue_url: str
    issue_title: str


@dataclass(frozen=True)
class JobProgress:
    job: ImportJob
    finished: bool
    failures: list[ReportLine]
    lines: list[ReportLine]  # every item, once the job is finished
    counts: dict[str, int]


def import_job_progress(*, job_id: int) -> JobProgress | None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    entries = job.report or []
    shown = entries if finished else [e for e in entries if e.get("status") == "failed"]
    ids = {e["issue_id"] for e in shown if e.get("issue_id")}
    issues = {i.pk: i for i in Issue.objects.filter(pk__in=ids).only("pk", "slug", "title")} if ids else {}
    lines = []
    for entry in shown:
        issue = issues.get(entry.get("issue_id"))
        lines.append(ReportLine(
            name=entry.get("name", ""), status=entry.get("status", ""), detail=entry.get("detail", ""),
            issue_url=issue.get_absolute_url() if issue else "", issue_title=issue.title if issue else "",
        ))
    counts = {s: 0 for s in ("created", "updated", "unchanged", "failed")}
    for entry in entries:
        counts[entry.get("status", "failed")] = counts.get(entry.get("status", "failed"), 0) + 1
    return JobProgress(
        job=job, finished=finished, failures=[line for line in lines if line.status == "failed"],
        lines=lines if finished else [], counts=counts,
    )
