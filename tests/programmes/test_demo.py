"""The programmes demo: built through the services, idempotent, as the seeds tell it."""

from __future__ import annotations

import pytest

from missions import demo as missions_demo
from missions.calls import demo as calls_demo
from missions.events import demo as events_demo
from organizations import demo as organizations_demo
from programmes import demo
from programmes.models import Outcome, OutcomeConfirmation, Partnership, Programme
from programmes.selectors import programme_figures

pytestmark = pytest.mark.django_db


def seed_all():
    organizations_demo.seed()
    missions_demo.seed()
    calls_demo.seed()
    events_demo.seed()
    return demo.seed()


def sizes():
    return (
        Programme.objects.count(),
        Partnership.objects.count(),
        Outcome.objects.count(),
        OutcomeConfirmation.objects.count(),
    )


def test_programmes_demo_is_idempotent_and_follows_the_seeds():
    result = seed_all()
    first = sizes()
    seed_all()
    assert sizes() == first
    # 13 ESCPs plus the six CIP projects; 19 outcome examples, all verified.
    assert first == (2, 19, 19, 19)
    assert Outcome.objects.filter(state=Outcome.State.VERIFIED).count() == 19
    assert len(result["partnerships"]) == 13

    bilat_4 = Programme.objects.get(name="BILAT USA 4.0")
    assert bilat_4.starts_on.isoformat() == "2016-02-01"
    assert bilat_4.mission_links.get().mission.title == missions_demo.TITLE
    assert bilat_4.call_links.get().call.title == calls_demo.TITLE
    assert bilat_4.event_links.get().event.title == events_demo.TITLE
    assert {p.name for p in bilat_4.partners.all()} == {"inno TSD", "SRI International"}

    bilat_2 = Programme.objects.get(name="BILAT USA 2.0")
    kinds = sorted(link.event.kind for link in bilat_2.event_links.all())
    assert kinds.count("conference") == 2
    for link in bilat_2.event_links.all():
        assert bilat_2.starts_on <= link.event.starts_at.date() <= bilat_2.ends_on

    elca = Partnership.objects.get(name="European Lighting Cluster Alliance - ELCA")
    assert elca.partners.count() == 11
    assert {o.country.code for o in elca.partners.all()} == {
        "DK", "IT", "ES", "FR", "BE", "SE", "DE", "GB", "FI", "NL"
    }  # fmt: skip
    assert [c.code for c in elca.target_countries] == ["CN"]
    icn = Partnership.objects.get(name="International Clean Tech Network - ICN")
    assert icn.partners.count() == 13

    bio = Partnership.objects.get(name="BioXClusters")
    assert bio.outcomes.filter(kind="mou").count() == 6
    mou_countries = sorted(
        o.country.code
        for outcome in bio.outcomes.filter(kind="mou")
        for o in outcome.organizations.all()
        if o.country.code not in ("DE", "FR")
    )
    assert mou_countries == ["CN", "CN", "IN", "US", "US", "US"]


def test_programmes_demo_figures_of_bilat_4():
    seed_all()
    figures = programme_figures(Programme.objects.get(name="BILAT USA 4.0"))
    ran = dict(figures[0].rows)
    assert ran["Missions"] == 1
    assert ran["Delegates"] == 12
    assert ran["Events held"] == 1


def test_programmes_demo_pages_render(client):
    seed_all()
    urls = ["/programmes/", "/partnerships/", "/outcomes/"]
    for programme in Programme.objects.all():
        base = programme.get_absolute_url()
        urls += [base, f"{base}figures/", f"{base}calendar.ics"]
    for partnership in Partnership.objects.all():
        urls += [partnership.get_absolute_url(), f"{partnership.get_absolute_url()}map.svg"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get("/partnerships/european-lighting-cluster-alliance-elca/").content.decode()
    assert "11 partners" in page
    figures = client.get(Programme.objects.get(name="BILAT USA 2.0").get_absolute_url())
    assert len(figures.context["series"].past_events) == 7
