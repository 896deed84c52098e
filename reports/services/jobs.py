"""Asking for a document and rendering it, once per version of its data.

``report_request`` gathers the document's data, hashes it, and returns the done job of that
fingerprint when there is one (no rendering), the queued or running one when it is on its
way, or a new queued job enqueued after commit. ``report_render`` is what the worker runs:
it locks the job row, does nothing for a job already done, and writes the file under a
temporary name before renaming it into place, so a worker killed halfway leaves no
half-written file under the final name and a re-run ends with one complete file.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import tempfile
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.pdf import render_pdf
from matchmaking.models import Session
from missions.events.models import Event, Registration
from missions.models import Mission

from .. import charts
from ..models import ReportJob, report_storage
from ..permissions import may_request
from . import gather

logger = logging.getLogger("clustermissions.reports")

Kind = ReportJob.Kind
Status = ReportJob.Status

# The database's rule that one data version of a document is rendered once (models.py).
ONE_DONE_PER_FINGERPRINT = "report_job_one_done_per_fingerprint"

FONT = "'Source Sans 3', sans-serif"

PAGE_CSS = {
    ReportJob.PageSize.A4: "@page { size: A4 !important; }",
    ReportJob.PageSize.LETTER: "@page { size: letter !important; }",
}
# The table sheet has a column per table: it is printed across the page.
LANDSCAPE_KINDS = (Kind.TABLE_SHEET,)


def _page_css(kind: str, page_size: str) -> str:
    if kind in LANDSCAPE_KINDS:
        return PAGE_CSS[page_size].replace(" !important", " landscape !important")
    return PAGE_CSS[page_size]


def _check_target(kind: str, target) -> None:
    if kind in ReportJob.MISSION_KINDS and isinstance(target, Mission):
        return
    if kind in ReportJob.EVENT_KINDS and isinstance(target, Event):
        return
    if kind == Kind.BADGES and isinstance(target, Registration):
        return
    if kind in ReportJob.SESSION_KINDS and isinstance(target, Session):
        return
    raise ValidationError(_("This document is not made for this mission or event."))


def _target_fields(target) -> dict[str, Any]:
    if isinstance(target, Mission):
        return {"mission": target}
    if isinstance(target, Registration):
        return {"event": target.event, "registration": target}
    if isinstance(target, Session):
        return {"session": target}
    return {"event": target}


def report_request(*, kind: str, target, page_size: str = ReportJob.PageSize.A4, by) -> ReportJob:
    """The job that gives document ``kind`` of ``target`` at ``page_size`` for the current
    data: the done one when the data is unchanged (nothing is rendered), the one already
    queued or running, else a new queued job whose rendering is enqueued after commit.

    ``by`` is the person asking (None: the system). Raises ValidationError when they may
    not ask for it or the document does not apply to the target.
    """
    _check_target(kind, target)
    if page_size not in ReportJob.PageSize.values:
        raise ValidationError(_("Choose A4 or US Letter."))
    if by is not None and not may_request(by, kind, target):
        raise ValidationError(_("You may not ask for this document."))
    fingerprint = gather.fingerprint(gather.document_data(kind, target))
    key = ReportJob.key_for(target)
    with transaction.atomic():
        # Two people asking at once: the first locks the target, the second then finds
        # the first one's job instead of queuing a twin.
        type(target).objects.select_for_update().filter(pk=target.pk).first()
        same_document = ReportJob.objects.filter(kind=kind, target_key=key, page_size=page_size)
        for status in (Status.DONE, Status.RUNNING, Status.QUEUED):
            found = same_document.filter(fingerprint=fingerprint, status=status).first()
            if found is not None:
                return found
        # A version is a state of the data: A4 and Letter of the same data share it.
        every_size = ReportJob.objects.filter(kind=kind, target_key=key)
        earlier = every_size.filter(fingerprint=fingerprint).order_by("pk").first()
        if earlier is not None:
            version = earlier.version
        else:
            version = (every_size.aggregate(top=Max("version"))["top"] or 0) + 1
        job = ReportJob(
            requested_by=by,
            kind=kind,
            target_key=key,
            page_size=page_size,
            fingerprint=fingerprint,
            version=version,
            **_target_fields(target),
        )
        job.full_clean()
        job.save()
        _enqueue(job)
    return job


def report_retry(*, job: ReportJob, by) -> ReportJob:
    """Queue a failed job again (same data version). Raises ValidationError otherwise."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.FAILED:
            raise ValidationError(_("Only a failed document can be tried again."))
        job.status = Status.QUEUED
        job.progress = 0
        job.error = ""
        job.started_at = job.finished_at = None
        job.full_clean()
        job.save()
        _enqueue(job)
    return job


def _enqueue(job: ReportJob) -> None:
    from ..tasks import task_report_render

    job_id = job.pk
    transaction.on_commit(lambda: task_report_render.delay(job_id=job_id))


def _set_progress(job: ReportJob, progress: int) -> None:
    ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=progress)


def document_html(kind: str, data: dict[str, Any], target) -> str:
    """The HTML of a document from its gathered data."""
    if kind == Kind.PARTICIPANT_LIST:
        from missions.events import pdf as event_pdf

        return event_pdf.participant_list_html(target)
    if kind == Kind.BADGES:
        from missions.events import pdf as event_pdf

        if isinstance(target, Registration):
            # One sheet of one row of one badge, in the shape badges_html gives the template.
            return render_to_string(
                "missions/events/print_badges.html",
                {"event": target.event, "pages": [[[target]]]},
            )
        return event_pdf.badges_html(target)
    if kind in ReportJob.SESSION_KINDS:
        return _session_html(kind, target)
    context = {"data": data, "charts": _charts(kind, data)}
    return render_to_string(f"reports/{kind}.html", context)


def _session_html(kind: str, session: Session) -> str:
    """The matchmaking print templates, fed by the reads the matchmaking pages use."""
    from matchmaking.services import agendas as agenda_reads

    if kind == Kind.MATCHMAKING_AGENDAS:
        return agenda_reads.agendas_html(session, agenda_reads.all_agendas(session))
    tables, rows = agenda_reads.table_sheet(session)
    return render_to_string(
        "matchmaking/table_sheet_print.html", {"session": session, "tables": tables, "rows": rows}
    )


def _charts(kind: str, data: dict[str, Any]) -> dict[str, str | None]:
    survey = data.get("survey") or {}
    found: dict[str, str | None] = {}
    if kind == Kind.MISSION_REPORT:
        found["delegation_states"] = charts.bar_chart(
            _("Delegate organisations by state"), data["delegation"]["by_state"]
        )
        found["applicant_states"] = charts.bar_chart(
            _("Applications by state"), data["call"]["applicant_states"]
        )
        found["hosts_by_country"] = charts.bar_chart(
            _("Organisations met by country"),
            [[country["country"], country["count"]] for country in data["hosts_by_country"]],
        )
        found["delegation_kinds"] = charts.bar_chart(
            _("Delegate organisations by kind"), data["delegation"]["by_kind"]
        )
    if kind == Kind.ROUNDTABLE_REPORT:
        found["by_country"] = charts.bar_chart(
            _("Participants by country"), data["attending"]["by_country"]
        )
        found["by_kind"] = charts.bar_chart(
            _("Participants by kind of organisation"), data["attending"]["by_kind"]
        )
        found["by_sector"] = charts.bar_chart(
            _("Participants by sector"), data["attending"]["by_sector"]
        )
    if data.get("map_svg"):
        # The map names a generic family; the document's shipped font replaces it.
        svg = data["map_svg"].replace('font-family="sans-serif"', f'font-family="{FONT}"')
        found["map"] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    if survey.get("rating_counts"):
        found["ratings"] = charts.column_chart(
            _("Overall rating (1 = poor, 5 = excellent)"), survey["rating_counts"]
        )
    return found


def _file_name(job: ReportJob) -> str:
    return (
        f"{job.kind}/{job.target_key.replace(':', '-')}/v{job.version}-{job.page_size}-{job.pk}.pdf"
    )


def _write_atomically(name: str, content: bytes) -> None:
    """Write ``content`` to storage ``name`` under a temporary name, then rename it in."""
    path = report_storage.path(name)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(content)
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# A temporary file older than the task's hard time limit belongs to no live render.
ABANDONED_AFTER = 300


def _remove_partials(name: str) -> None:
    """Temporary files a killed worker left beside ``name`` (not those of a render still
    running in another worker)."""
    folder = os.path.dirname(report_storage.path(name))
    if not os.path.isdir(folder):
        return
    cutoff = time.time() - ABANDONED_AFTER
    for entry in os.listdir(folder):
        path = os.path.join(folder, entry)
        if entry.startswith(".partial-") and os.path.getmtime(path) < cutoff:
            os.unlink(path)


def report_render(*, job: ReportJob) -> ReportJob:
    """Render ``job``'s document and store it; safe to run twice or after a killed run.

    Only the report task calls this. A job already done is returned untouched. When the
    data changed since the job was asked for, the job still renders the data it finds and
    records that data's fingerprint (unless a done job of that fingerprint exists, then it
    returns that one's file)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.DONE:
            return job
        job.status = Status.RUNNING
        job.progress = 5
        job.attempts += 1
        job.error = ""
        job.started_at = timezone.now()
        job.save(update_fields=["status", "progress", "attempts", "error", "started_at"])
    target = job.target
    try:
        data = gather.document_data(job.kind, target)
        _set_progress(job, 30)
        html = document_html(job.kind, data, target)
        _set_progress(job, 50)
        rendered = render_pdf(html, stylesheets=(_page_css(job.kind, job.page_size),))
        _set_progress(job, 90)
        name = _file_name(job)
        _remove_partials(name)
        _write_atomically(name, rendered.content)
    except Exception as error:
        logger.exception("report job %s failed", job.pk)
        # A twin run may have finished meanwhile: its done job stands.
        ReportJob.objects.filter(pk=job.pk).exclude(status=Status.DONE).update(
            status=Status.FAILED,
            error=_failure_text(error),
            finished_at=timezone.now(),
        )
        # Rendering the same data again fails the same way: no retry; the page offers one.
        return ReportJob.objects.get(pk=job.pk)
    fingerprint = gather.fingerprint(data)
    try:
        return _record_done(job, name=name, rendered=rendered, fingerprint=fingerprint)
    except IntegrityError as error:
        # Not the rule above: a bug or a broken row. Say so on the job (its page would
        # otherwise poll a running job forever), then let the error reach the task's log.
        logger.exception("report job %s could not be recorded", job.pk)
        report_fail(job_id=job.pk, reason=_failure_text(error))
        raise


def _record_done(job: ReportJob, *, name: str, rendered, fingerprint: str) -> ReportJob:
    """Mark ``job`` done with its file, unless another run did first. When the data changed
    during the render to a version another job holds done already, the one-done-per-
    fingerprint rule refuses; the job fails with a reason. Any other integrity error is
    raised (with nothing written)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.DONE:  # another run finished first; its file stands
            return job
        job.file.name = name
        job.checksum = hashlib.sha256(rendered.content).hexdigest()
        job.pages = rendered.pages
        job.status = Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.fingerprint = fingerprint
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError as error:
            if constraint_name(error) != ONE_DONE_PER_FINGERPRINT:
                raise
            # The data changed to a version already rendered by another job: keep that one.
            job.refresh_from_db()
            job.status = Status.FAILED
            job.error = _("The data changed while this document was being made; ask again.")
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
    return job


def report_fail(*, job_id: int, reason: str) -> None:
    """Record that the job could not be made (time limit, retries exhausted)."""
    ReportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=reason, finished_at=timezone.now()
    )


def _failure_text(error: Exception) -> str:
    from common.pdf import ExternalResourceRefused

    if isinstance(error, ExternalResourceRefused):
        return _("The document asked for a file from outside the portal (%(url)s).") % {
            "url": str(error)[:200]
        }
    if isinstance(error, OSError):
        return _("The file could not be written (%(reason)s).") % {"reason": error.strerror}
    return _("The document could not be made: %(reason)s") % {"reason": str(error)[:300]}
