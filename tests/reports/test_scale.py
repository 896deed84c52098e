"""``seed_demo --scale N``: N times the demo's volume, deterministic and never duplicated."""

from io import StringIO

import pytest
from django.core.management import call_command

from matchmaking.models import Meeting, MeetingRequest, Participant
from missions.calls.models import Application, ReviewAssignment, Score
from missions.events.models import Registration
from missions.models import ItineraryItem, Mission
from organizations.models import Membership, Organization, User

pytestmark = pytest.mark.django_db

MODELS = [
    Organization,
    Organization.sectors.through,
    User,
    Membership,
    Application,
    ReviewAssignment,
    Score,
    Registration,
    Mission,
    ItineraryItem,
    Participant,
    MeetingRequest,
    Meeting,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_scale_adds_volume_and_twice_adds_nothing():
    call_command("seed_demo", stdout=StringIO())
    demo = counts()

    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    once = counts()
    drawn = list(
        Organization.objects.filter(slug__startswith="scale-org-")
        .order_by("slug")
        .values_list("country", "kind")
    )
    call_command("seed_demo", "--scale", "2", stdout=StringIO())

    assert counts() == once
    assert once["Organization"] == demo["Organization"] + 28
    assert once["User"] == demo["User"] + 28
    assert once["Application"] == demo["Application"] + 28
    assert once["Registration"] == demo["Registration"] + 28
    assert once["Participant"] == demo["Participant"] + 28
    assert once["Meeting"] == demo["Meeting"] + 14
    assert once["Mission"] == demo["Mission"] + 1
    assert once["ItineraryItem"] > demo["ItineraryItem"]
    assert once["Score"] > demo["Score"]
    assert Organization.objects.get(slug="scale-org-00007").name == "Scale org 00007"
    assert Organization.objects.get(slug="scale-org-00007").sectors.exists()
    # The second run leaves the drawn values as they were; every second one is American.
    assert drawn == list(
        Organization.objects.filter(slug__startswith="scale-org-")
        .order_by("slug")
        .values_list("country", "kind")
    )
    assert sum(country == "US" for country, _kind in drawn) == 14
