"""The 2018 mission demo: built through the services, as the seed report describes it."""

import datetime as dt

from django.urls import reverse

from missions import demo as missions_demo
from missions import selectors
from missions.models import ItineraryItem, Mission
from organizations import demo as organizations_demo
from organizations.models import Membership


def test_demo_seed_builds_the_2018_mission_once(db):
    organizations_demo.seed()
    mission = missions_demo.seed()
    assert missions_demo.seed().pk == mission.pk
    assert Mission.objects.count() == 1
    assert mission.status == Mission.Status.PUBLISHED
    assert (mission.start_date, mission.end_date) == (dt.date(2018, 11, 6), dt.date(2018, 11, 9))
    assert selectors.mission_warnings(mission) == []

    days = selectors.itinerary_days(mission)
    assert [(d.date.day, d.title) for d in days] == [
        (6, "Copenhagen"),
        (7, "Copenhagen and Malmö"),
        (8, "Genk and Antwerp"),
        (9, "Rotterdam"),
    ]
    roundtable = days[0].items.all()[0]
    assert (roundtable.session_kind, roundtable.venue_name) == ("roundtable", "BLOXHUB")
    assert roundtable.starts_at == dt.datetime(2018, 11, 6, 7, 30, tzinfo=dt.UTC)
    items = selectors.itinerary_items(mission)
    hosts = selectors.organizations_met(items)
    assert len(hosts) == 23
    assert {"BLOXHUB", "Cluster Excellence Denmark", "EnergyVille", "Cambridge Cleantech"} <= {
        h.name for h in hosts
    }
    legs = [(i.from_city, i.to_city) for i in items if i.kind == ItineraryItem.Kind.TRAVEL]
    assert legs == [
        ("Copenhagen", "Malmö"),
        ("Malmö", "Leuven"),
        ("Leuven", "Genk"),
        ("Genk", "Antwerp"),
        ("Antwerp", "Rotterdam"),
    ]

    members = list(selectors.delegation_members(mission))
    assert len(members) == 12
    assert len({m.organization_id for m in members}) == 11
    assert {m.organization.region for m in members} == {
        "California",
        "Colorado",
        "Maryland",
        "Mississippi",
        "New York",
        "North Carolina",
        "Ohio",
        "Texas",
        "Washington",
    }
    assert all(m.user.email.endswith("@example.org") for m in members)
    assert "applicant@example.org" in {m.user.email for m in members}
    assert [m.role for m in members].count("head") == 1
    # The applicant stays manager of their organisation.
    assert Membership.objects.get(user__email="applicant@example.org").role == "manager"


def test_demo_host_sees_the_energyville_visit(client, db):
    organizations_demo.seed()
    missions_demo.seed()
    from organizations.models import User

    client.force_login(User.objects.get(email="host@example.org"))
    response = client.get(reverse("missions:host_visits"))
    assert [v.title for v in response.context["visits"]] == ["EnergyVille"]
    assert response.context["visits"][0].visit_status == "proposed"
