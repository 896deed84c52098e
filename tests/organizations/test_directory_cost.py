"""What the directory renders per request is built once per language (the country list) or
looked up directly (an organisation's kind), its cards are plain values read in two queries,
and it reads the same as before."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from common.choices import country_choices
from organizations import services
from organizations.models import Organization
from organizations.selectors import DirectoryCard, directory_cards, organization_directory
from tests.factories import make_organization, make_sector


def test_country_choices_follow_the_active_language():
    with translation.override("en"):
        english = dict(country_choices())
        names = [name for _code, name in country_choices()]
    with translation.override("fr"):
        french = dict(country_choices())

    assert english["DE"] == "Germany"
    assert french["DE"] == "Allemagne"
    assert names[0] == "Afghanistan" and len(names) > 240
    # Plain strings: rendering them translates nothing again.
    assert all(type(name) is str for name in english.values())


def test_kind_label_is_the_display_of_every_kind():
    for kind in Organization.Kind:
        organization = Organization(kind=kind)
        assert organization.kind_label == organization.get_kind_display()
    assert Organization(kind="retired-kind").kind_label == "retired-kind"


def test_directory_filters_by_country_and_shows_the_kind(client, db):
    make_organization("Stockholm Cluster", country="SE", city="Stockholm")
    make_organization("Copenhagen Cluster", country="DK")

    response = client.get(reverse("organizations:list"), {"country": "SE"})

    page = response.content.decode()
    assert 'href="/organisations/stockholm-cluster/">Stockholm Cluster</a>' in page
    assert "Copenhagen Cluster" not in page
    assert f"{Organization.Kind.CLUSTER.label} · Stockholm, Sweden" in page
    assert '<option value="SE" selected>Sweden</option>' in page


def test_directory_cards_hold_what_the_models_show_in_the_active_language(db):
    # Created out of name order: the card lists sectors by name, not by id.
    design, energy = make_sector("Design"), make_sector("Clean energy")
    aalborg = make_organization(
        "Aalborg Cluster", country="DK", city="Aalborg", sectors=(design, energy)
    )
    berlin = make_organization(
        "Berlin Institute",
        country="DE",
        region="Berlin",
        city="",
        kind=Organization.Kind.RESEARCH_INSTITUTE,
    )

    with translation.override("fr"):
        cards = directory_cards(organization_directory(AnonymousUser()))
        kinds = [aalborg.kind_label, berlin.kind_label]

    assert cards == [
        DirectoryCard(
            name="Aalborg Cluster",
            url=aalborg.get_absolute_url(),
            kind_label=kinds[0],
            city="Aalborg",
            region="",
            country_name="Danemark",
            sectors=("Clean energy", "Design"),
        ),
        DirectoryCard(
            name="Berlin Institute",
            url=berlin.get_absolute_url(),
            kind_label=kinds[1],
            city="",
            region="Berlin",
            country_name="Allemagne",
            sectors=(),
        ),
    ]


def test_directory_cards_of_a_page_are_that_page_in_two_queries(db, django_assert_num_queries):
    sector = make_sector("Clean energy")
    for number in range(4):
        make_organization(f"Cluster {number}", sectors=(sector,))
    page = organization_directory(AnonymousUser())[1:3]

    with django_assert_num_queries(2):
        cards = directory_cards(page)

    assert [card.name for card in cards] == ["Cluster 1", "Cluster 2"]
    assert [card.sectors for card in cards] == [("Clean energy",), ("Clean energy",)]


def test_directory_shows_an_edit_on_the_next_request(client, organiser):
    energy, design = make_sector("Clean energy"), make_sector("Design")
    organization = make_organization("Old Name Cluster", sectors=(energy,))
    url = reverse("organizations:list")
    assert "<li>Clean energy</li>" in client.get(url).content.decode()

    services.organization_update(
        organization=organization, by=organiser, sectors=(design,), name="New Name Cluster"
    )
    services.sector_rename(sector=design, name="Industrial design")
    page = client.get(url).content.decode()

    link = f'<h3><a href="{organization.get_absolute_url()}">New Name Cluster</a></h3>'
    assert link in page
    assert "<li>Industrial design</li>" in page
    assert "Old Name" not in page and "Clean energy</li>" not in page
