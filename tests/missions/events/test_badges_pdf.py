"""Name badges: nine to an A4 sheet with cut marks, read back from the PDF as served (a
report job asked for from the registrations page, downloaded from the job)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from missions.events.pdf import BADGES_PER_PAGE, badges_html

from .factories import make_event, make_member, register
from .test_views import document_from_the_manage_page

A4_POINTS = (595, 842)


@pytest.fixture
def badge_pdf(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    def served(organiser, organization, count):
        on_commit = django_capture_on_commit_callbacks
        return _badge_pdf(client, organiser, organization, count, on_commit)

    return served


def _badge_pdf(client, organiser, organization, count, on_commit):
    event = make_event(
        organiser, capacity=count, title="Nordic Clean Energy Roundtable", city="Copenhagen"
    )
    names = [f"Attendee Number {n:02d}" for n in range(count)]
    for name in names:
        register(event, make_member(organization, full_name=name), organization)
    client.force_login(organiser)
    content = document_from_the_manage_page(client, event, "badges", on_commit)
    # A large name may wrap onto two lines of its badge: whitespace is compared as one space.
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]
    sizes = [
        tuple(round(float(v)) for v in page.mediabox.upper_right)
        for page in PdfReader(io.BytesIO(content)).pages
    ]
    return event, names, pages, sizes


@pytest.mark.django_db
def test_badges_nine_attendees_fill_one_a4_sheet(badge_pdf, organiser, organization):
    _event, names, pages, sizes = badge_pdf(organiser, organization, 9)

    assert BADGES_PER_PAGE == 9
    assert len(pages) == 1
    assert sizes == [A4_POINTS]
    text = pages[0]
    assert all(name in text for name in names)
    # Each badge carries the event's name, its date, the organisation and the country.
    assert text.count("Nordic Clean Energy Roundtable") == 9
    assert text.count("Cluster CLEAN") == 9
    assert "Denmark" in text


@pytest.mark.django_db
def test_badges_ten_attendees_start_a_second_sheet(badge_pdf, organiser, organization):
    _event, names, pages, _sizes = badge_pdf(organiser, organization, 10)

    assert len(pages) == 2
    assert names[9] in pages[1]
    assert names[9] not in pages[0]
    assert all(name in pages[0] for name in names[:9])


@pytest.mark.django_db
def test_badges_have_cut_marks_at_every_corner(organiser, organization):
    event = make_event(organiser, capacity=4)
    for n in range(4):
        register(event, make_member(organization, full_name=f"Person {n}"), organization)

    html = badges_html(event)

    for corner in ("tl", "tr", "bl", "br"):
        assert html.count(f'class="mark {corner}"') == 4
