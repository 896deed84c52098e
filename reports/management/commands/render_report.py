"""``manage.py render_report KIND SLUG --output FILE.pdf [--page-size letter]``.

Renders any document through the same service as the pages (``report_request`` then the
job's rendering, in this process), asked for by the system, and copies the file out.
"""

import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matchmaking.models import Session
from missions.events.models import Event
from missions.models import Mission
from reports.models import ReportJob
from reports.services.jobs import report_render, report_request


class Command(BaseCommand):
    help = "Render a report (mission_report, roundtable_report, delegation_booklet, "
    "participant_list, badges, matchmaking_agendas, table_sheet) of the mission, event or "
    "matchmaking session SLUG into a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportJob.Kind.values)
        parser.add_argument("slug", help="The mission's, the event's or the session's slug.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--page-size", default=ReportJob.PageSize.A4, choices=ReportJob.PageSize.values
        )

    def handle(self, *args, kind, slug, output, page_size, **options):
        if kind in ReportJob.MISSION_KINDS:
            model = Mission
        elif kind in ReportJob.SESSION_KINDS:
            model = Session
        else:
            model = Event
        target = model.objects.filter(slug=slug).first()
        if target is None:
            raise CommandError(f"No {model._meta.verbose_name} with the slug {slug!r}.")
        try:
            job = report_request(kind=kind, target=target, page_size=page_size, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # With a worker the job may be rendered there already; rendering is idempotent.
        job = report_render(job=job)
        if job.status != ReportJob.Status.DONE:
            raise CommandError(f"The document could not be made: {job.error}")
        with job.file.open("rb") as source, open(output, "wb") as destination:
            shutil.copyfileobj(source, destination)
        self.stdout.write(
            f"{job.get_kind_display()} v{job.version}: {job.pages} pages, "
            f"sha256 {job.checksum} → {output}"
        )
