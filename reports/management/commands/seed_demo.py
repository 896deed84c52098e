"""``manage.py seed_demo``: load the demo mission data through the services users go through.

It lives in ``reports`` because that app sits at the top of the house and may call
every app below it; each app builds its own part in its ``demo.py``.
"""

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from matchmaking import demo as matchmaking_demo
from missions import demo as missions_demo
from missions import live_demo
from missions.calls import demo as calls_demo
from missions.events import demo as events_demo
from organizations import demo as organizations_demo
from programmes import demo as programmes_demo
from reports import demo as reports_demo
from reports import scale

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@contextlib.contextmanager
def console_emails_kept_back() -> Iterator[list]:
    """The demo's story sends hundreds of emails (407 on 2026-12-03: submissions,
    decisions, agendas, seat offers). On the console backend of ``make run`` they were
    printed, about 27,000 lines burying the demo logins; while seeding they are kept in a
    list instead, whose length the command reports. Any other backend (SMTP, the tests'
    outbox) is left as it is, and so is a Celery worker's own backend."""
    if settings.EMAIL_BACKEND != CONSOLE_BACKEND:
        yield []
        return
    had_outbox = hasattr(mail, "outbox")
    saved = getattr(mail, "outbox", None)
    mail.outbox = []
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield mail.outbox
    finally:
        if had_outbox:
            mail.outbox = saved
        else:
            del mail.outbox


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N times the demo's volume, for measuring pages (reports/scale.py).",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is disabled in these settings (production).")
        with console_emails_kept_back() as kept:
            result = organizations_demo.seed()
            mission = missions_demo.seed()
            call = calls_demo.seed()
            event = events_demo.seed()
            programmes = programmes_demo.seed()
            reports_demo.seed()
            live = live_demo.seed()
            matchmaking = matchmaking_demo.seed()
            if options["scale"] > 0:
                added = scale.seed_scale(
                    options["scale"],
                    mission=mission,
                    call=call,
                    event=event,
                    session=matchmaking["hannover"],
                    password=organizations_demo.DEMO_PASSWORD,
                )
                self.stdout.write(
                    f"Scale {options['scale']}: added "
                    + ", ".join(f"{count} {kind}" for kind, count in added.items())
                )
        if kept:
            self.stdout.write(
                f"{len(kept)} emails of the demo's story were not printed (console backend)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(result['organizations'])} organisations, "
                f"{len(result['sectors'])} sectors."
            )
        )
        self.stdout.write(f"Demo mission: /missions/{mission.slug}/")
        if call is not None:
            self.stdout.write(f"Demo call for expression of interest: /calls/{call.pk}/")
        self.stdout.write(f"Demo event: /events/{event.slug}/")
        self.stdout.write(
            f"Programmes: /programmes/{programmes['programmes'][0].slug}/ "
            f"({len(programmes['partnerships'])} partnerships, /partnerships/)"
        )
        self.stdout.write(
            f"Live today: mission /missions/{live['mission'].slug}/, "
            f"call /calls/{live['call'].pk}/ (open), event /events/{live['event'].slug}/ (open)"
        )
        self.stdout.write(
            f"Matchmaking: /matchmaking/{matchmaking['hannover'].slug}/ (Hannover Messe 2016, "
            "agendas published)"
            + (
                f", /matchmaking/{matchmaking['live'].slug}/ (requests open)"
                if matchmaking["live"]
                else ""
            )
        )
        self.stdout.write(f"Demo logins (password for all: {organizations_demo.DEMO_PASSWORD}):")
        for email, _full_name, _zone, roles in organizations_demo.DEMO_USERS:
            role_labels = ", ".join(str(role.label) for role in roles)
            self.stdout.write(f"  {email:<26} {role_labels}")
