"""Name badges: nine to an A4 sheet with cut marks, read back from the PDF as served."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from missions.events.pdf import BADGES_PER_PAGE, badges_html

from .factories import make_event, make_member, register

A4_POINTS = (595, 842)


def badge_pdf(client, organiser, organization, count):
    event = make_event(
        organiser, capacity=count, title="Nordic Clean Energy Roundtable", city="Copenhagen"
    )
    names = [f"Attendee Number {n:02d}" for n in range(count)]
    for name in names:
        register(event, make_member(organization, full_name=name), organization)
    client.force_login(organiser)
    response = client.get(reverse("events:badges_pdf", args=[event.slug]))
    assert response.status_code == 200
    # A large name may wrap onto two lines of its badge: whitespace is compared as one space.
    pages = [
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    ]
    sizes = [
        tuple(round(float(v)) for v in page.mediabox.upper_right)
        for page in PdfReader(io.BytesIO(response.content)).pages
    ]
    return event, names, pages, sizes


@pytest.mark.django_db
def test_badges_nine_attendees_fill_one_a4_sheet(client, organiser, organization):
    _event, names, pages, sizes = badge_pdf(client, organiser, organization, 9)

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
def test_badges_ten_attendees_start_a_second_sheet(client, organiser, organization):
    _event, names, pages, _sizes = badge_pdf(client, organiser, organization, 10)

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
