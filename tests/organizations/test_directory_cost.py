"""What the directory renders per request is built once per language (the country list) or
looked up directly (an organisation's kind), and reads the same as before."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from common.choices import country_choices
from organizations.models import Organization
from tests.factories import make_organization


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
    assert [o.name for o in response.context["organizations"]] == ["Stockholm Cluster"]
    assert f"{Organization.Kind.CLUSTER.label} · Stockholm, Sweden" in page
    assert '<option value="SE" selected>Sweden</option>' in page
