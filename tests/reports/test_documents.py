"""The documents: what the demo mission's report says, read back from the PDF; the data's
queries do not grow with the mission; the fingerprint follows the data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.demo import ITINERARY
from missions.events.demo import TITLE as ROUNDTABLE_TITLE
from missions.events.models import Event
from missions.models import Application, ItineraryItem, Mission
from organizations.models import User
from reports.models import ReportJob
from reports.services import gather, jobs
from reports.services.texts import report_text_update

from ..missions.events.factories import make_event, make_member, register
from ..missions.factories import make_visit
from .conftest import pdf_text
from .factories import make_report_mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())
    return Mission.objects.get(title__startswith="BILAT USA 4.0")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_demo_mission_report_holds_days_hosts_delegation_applications_and_roundtable(demo, render):
    staff = User.objects.get(email="staff@example.org")

    job = render(kind=ReportJob.Kind.MISSION_REPORT, target=demo, by=staff)

    assert job.status == ReportJob.Status.DONE
    with job.file.open("rb") as handle:
        text = _flat(pdf_text(handle.read()))
    for day in (
        "Tuesday 6 November 2018",
        "Wednesday 7 November 2018",
        "Thursday 8 November 2018",
        "Friday 9 November 2018",
    ):
        assert day in text
    hosts = {
        name
        for _date, _title, items in ITINERARY
        for *_x, details in items
        for name in details.get("hosts", [])
    }
    assert len(hosts) == 23
    missing = [name for name in hosts if name not in text]
    assert missing == []
    assert "The delegation had 12 members from 11 organisations in 9 states." in text
    received = Application.objects.filter(call__mission=demo).exclude(status="draft").count()
    assert received == 14
    assert "14 applications were received." in text
    assert ROUNDTABLE_TITLE in text
    # The organisers' texts and the feedback are in it too.
    assert "co-creation session" in text
    assert "The visits were matched to our sectors" in text
    assert job.pages >= 10
    assert job.checksum and len(job.checksum) == 64
    # A comment whose author did not consent is never quoted.
    assert "Too many presentations" not in text
    data = gather.mission_report_data(demo)
    quoted = " ".join(quote["text"] for quote in data["survey"]["quotes"])

    assert "Too many presentations on the last day" not in quoted  # no consent given
    assert "co-creation session in Rotterdam" in quoted
    html = jobs.document_html(ReportJob.Kind.MISSION_REPORT, data, demo)
    assert "Too many presentations" not in html


def test_demo_booklet_and_roundtable_report_render(demo, render):
    event = Event.objects.get(title=ROUNDTABLE_TITLE)

    booklet = render(kind=ReportJob.Kind.DELEGATION_BOOKLET, target=demo, page_size="letter")
    roundtable = render(kind=ReportJob.Kind.ROUNDTABLE_REPORT, target=event)

    # One page per delegate organisation (11) and per host (23), with cover, contents,
    # itinerary and two section openers.
    assert booklet.pages >= 11 + 23 + 4
    with booklet.file.open("rb") as handle:
        booklet_text = _flat(pdf_text(handle.read()))
    assert "Front Range Energy Cluster" in booklet_text
    assert "EnergyVille" in booklet_text
    with roundtable.file.open("rb") as handle:
        roundtable_text = _flat(pdf_text(handle.read()))
    assert ROUNDTABLE_TITLE in roundtable_text
    assert "Agenda and speakers" in roundtable_text


def test_letter_and_a4_are_two_documents_of_different_page_size(organiser, render):
    mission = make_report_mission(organiser)
    a4 = render(kind="mission_report", target=mission, page_size="a4")
    letter = render(kind="mission_report", target=mission, page_size="letter")
    from pypdf import PdfReader

    sizes = []
    for job in (a4, letter):
        with job.file.open("rb") as handle:
            box = PdfReader(handle).pages[0].mediabox
            sizes.append((round(float(box.width)), round(float(box.height))))
    assert sizes == [(595, 842), (612, 792)]


@pytest.mark.parametrize("kind", [ReportJob.Kind.MISSION_REPORT, ReportJob.Kind.DELEGATION_BOOKLET])
def test_mission_data_queries_do_not_grow_with_days_visits_or_delegates(organiser, kind):
    small = make_report_mission(organiser, days=1, visits_per_day=1, delegates=1, title="S")
    large = make_report_mission(organiser, days=3, visits_per_day=3, delegates=3, title="L")

    with CaptureQueriesContext(connection) as one:
        gather.document_data(kind, small)
    with CaptureQueriesContext(connection) as three:
        gather.document_data(kind, large)

    assert len(one) == len(three)


def test_roundtable_data_queries_do_not_grow_with_registrations(organiser, organization):
    counts = []
    for size in (1, 3):
        event = make_event(organiser, title=f"Roundtable {size}", capacity=10)
        for _ in range(size):
            register(event, make_member(organization), organization)
        with CaptureQueriesContext(connection) as queries:
            gather.roundtable_report_data(event)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_fingerprint_changes_with_the_itinerary_and_the_texts_only(organiser):
    mission = make_report_mission(organiser)
    first = gather.fingerprint(gather.mission_report_data(mission))

    assert gather.fingerprint(gather.mission_report_data(mission)) == first
    day = mission.days.get()
    host = ItineraryItem.objects.get(day=day).hosts.get()
    make_visit(organiser, day, [host], "17:00", "18:00")
    second = gather.fingerprint(gather.mission_report_data(mission))
    assert second != first
    report_text_update(
        target=mission, by=organiser, summary="New summary", roundtable_summary="", conclusions=""
    )
    assert gather.fingerprint(gather.mission_report_data(mission)) != second


def test_hosts_are_grouped_by_the_country_of_the_city_they_met_in(organiser):
    from ..factories import make_organization

    mission = make_report_mission(organiser, days=1, visits_per_day=0, delegates=1)
    day = mission.days.get()
    dutch = make_organization("Clean Tech Delta", country="NL", city="Rotterdam")
    danish = make_organization("International Cleantech Network", country="DK", city="Copenhagen")
    make_visit(organiser, day, [dutch, danish], "10:00", "12:00", city="Rotterdam")

    data = gather.mission_report_data(mission)

    assert data["hosts_by_country"] == [
        {
            "country": "Netherlands",
            "cities": [
                {
                    "city": "Rotterdam",
                    "organizations": ["Clean Tech Delta", "International Cleantech Network"],
                }
            ],
            "count": 2,
        }
    ]
    assert data["hosts_count"] == 2


def test_matchmaking_figures_appear_where_the_mission_has_a_session(organiser):
    from ..matchmaking.factories import accept, make_participant, make_session, send

    mission = make_report_mission(organiser)
    assert gather.mission_report_data(mission)["matchmaking"] is None
    session = make_session(organiser, mission=mission)
    eu, us = make_participant(session), make_participant(session, side="us")
    accept(send(eu, us))

    rows = dict(gather.mission_report_data(mission)["matchmaking"])

    assert rows["Meetings requested"] == 1
    assert rows["Requests accepted"] == 1
    html = jobs.document_html("mission_report", gather.mission_report_data(mission), mission)
    assert "Meetings requested" in html
