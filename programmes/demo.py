"""Demo: the programmes, partnerships and outcomes the seed documents describe.

- BILAT USA 4.0 (Horizon 2020, started 1 February 2016; partners inno TSD and SRI
  International) owns the 2018 mission, its call and its roundtable, found by the titles the
  missions, calls and events demos give them.
- BILAT USA 2.0, a past EU-funded programme: its two high-level conferences (the EU one
  with about 150 experts) and a sample of its 45 workshops. Titles, dates and venues are
  fictional, within the programme's years.
- The thirteen European Strategic Cluster Partnerships of the 2014 table, with their
  sectors, partner counts and countries, and target countries. The seed gives only counts,
  so every partner organisation is fictional ("ELCA partner 3", in a capital city).
- The outcome examples of the six CIP cluster internationalisation projects, as verified
  outcomes of those projects (entered as partnerships of two fictional partners each, since
  the seed names the projects but not their members). Dates are fictional, in 2013.

Everything goes through the services, as organiser@example.org, and outcomes are verified
by staff@example.org. Requires ``organizations.demo.seed()`` first. Idempotent: what exists
by name is left alone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction

from missions.events import services as event_services
from missions.models import Call, Event, Mission
from organizations.models import Organization, User
from organizations.services import organization_create, sector_get_or_create

from . import services
from .models import Outcome, Partnership, Programme

BILAT_4 = "BILAT USA 4.0"
BILAT_2 = "BILAT USA 2.0"
MISSION_TITLE = "BILAT USA 4.0 High-Level US Cluster Mission to the EU"
CALL_TITLE = "Call for Expression of Interest: High-Level US Cluster Mission to the EU 2018"
ROUNDTABLE_TITLE = "EU-US Cluster Roundtable for knowledge exchange"

# A capital (or main city) per country, for the fictional partners' places on the map.
PLACES = {
    "AT": ("Vienna", "48.208", "16.373"),
    "BE": ("Brussels", "50.850", "4.352"),
    "BG": ("Sofia", "42.698", "23.322"),
    "BR": ("São Paulo", "-23.551", "-46.633"),
    "CA": ("Toronto", "43.653", "-79.383"),
    "CL": ("Santiago", "-33.449", "-70.669"),
    "CN": ("Shanghai", "31.230", "121.474"),
    "CZ": ("Prague", "50.076", "14.438"),
    "DE": ("Berlin", "52.520", "13.405"),
    "DK": ("Copenhagen", "55.676", "12.568"),
    "ES": ("Madrid", "40.417", "-3.704"),
    "FI": ("Helsinki", "60.170", "24.938"),
    "FR": ("Lyon", "45.764", "4.836"),
    "GB": ("Manchester", "53.481", "-2.243"),
    "GR": ("Thessaloniki", "40.640", "22.944"),
    "HU": ("Budapest", "47.498", "19.040"),
    "IL": ("Tel Aviv", "32.085", "34.782"),
    "IN": ("Bengaluru", "12.972", "77.595"),
    "IT": ("Milan", "45.464", "9.190"),
    "JP": ("Osaka", "34.694", "135.502"),
    "KR": ("Seoul", "37.567", "126.978"),
    "NL": ("Eindhoven", "51.441", "5.470"),
    "NO": ("Oslo", "59.913", "10.752"),
    "PL": ("Warsaw", "52.230", "21.012"),
    "PT": ("Porto", "41.158", "-8.629"),
    "SE": ("Gothenburg", "57.709", "11.975"),
    "SG": ("Singapore", "1.352", "103.820"),
    "TN": ("Tunis", "36.806", "10.181"),
    "US": ("New York", "40.713", "-74.006"),
}

# (name, short name, sector, partner count, partner countries, target countries, other
# target regions), from the 2014 table. "UK" is GB, "ROK" KR, "SE-DK" one partner in each.
ESCPS = [
    ("European Lighting Cluster Alliance - ELCA", "ELCA", "Lighting", 11,
     ["DK", "IT", "ES", "FR", "BE", "SE", "DE", "GB", "FI", "NL"], ["CN"], ""),
    ("European Aerospace Cluster Partnership - EACP", "EACP", "Aerospace", 9,
     ["FR", "DE", "ES", "PT", "IT"], ["US", "CA", "JP"], ""),
    ("ICT4Future", "ICT4Future", "ICT", 5, ["PT", "SE", "PL", "FR", "ES"],
     ["US", "BR", "RU"], ""),
    ("European Sports Cluster Partnership", "EU4Sports", "Sport", 5, ["ES", "FR", "NL", "IT"],
     ["US", "TW", "KR", "JP", "BR", "AR", "CL"], ""),
    ("European Semiconductor Cluster Consortium - ESCC", "ESCC", "Micro/nano-electronics", 6,
     ["DE", "NL", "BE", "IT", "FR", "GR"], ["US", "TW", "KR", "IL", "CN"], ""),
    ("Food, Health & Wellbeing Partnership", "FHW", "Food", 12,
     ["IT", "FR", "NL", "AT", "HU", "PL", "ES", "DE", "IL"],
     ["IL", "CL", "US", "BR", "IN", "CN"], ""),
    ("Textile2020", "Textile2020", "Textiles", 8, ["FR", "ES", "CZ", "DE", "GB", "IT"],
     ["BR", "JP", "KR", "TN", "MA", "CA", "US", "IN"], ""),
    ("ESCP Energy in Water", "Energy in Water", "Environmental technology", 9,
     ["ES", "FR", "FI", "DK", "PL", "DE", "GB", "SE"], ["US", "CA", "BR", "CN"],
     "Mediterranean Region, Baltic Sea Region, possibly India"),
    ("Mind the Gap – Health and Wellbeing for elderly", "Mind the Gap", "Advanced materials", 7,
     ["DK", "DE", "ES", "FI", "SE"], ["BR", "RU", "IN", "CN"], ""),
    ("International Clean Tech Network - ICN", "ICN", "Clean tech", 13,
     ["DK", "AT", "IT", "DE", "NO", "ES", "FR", "US", "SG", "KR", "CN", "CA"],
     ["US", "SG", "KR", "CN", "CA"], ""),
    ("Photonics & Packaging for Innovation - 3P4I", "3P4I", "Packaging", 5,
     ["ES", "FR", "DE"], [], ""),
    ("ESCP for Personalized Healthcare", "Personalized Healthcare", "Healthcare", 5,
     ["ES", "DE", "IT", "FR", "GB"], ["US", "CN", "BR", "JP", "KR"], "North Africa"),
    ("Natural Resource Efficient Europe - Natureef", "Natureef", "Resource efficiency", 10,
     ["PT", "DE", "FR", "BG", "AT", "PL", "HU", "CZ", "DK", "ES"],
     ["CN", "IN", "AU", "NZ"], "South America"),
]  # fmt: skip

# The six CIP projects and their outcome examples: (type, title, third country or "", date).
CIP_PROJECTS = [
    ("Feeding The Planet", "Food", ["IT", "FR"], [
        ("mou", "MoU with Chile (cluster to cluster): agro-food", "CL", "2013-06-12"),
    ]),
    ("Wiintech", "Biotechnology", ["FR", "DE"], [
        ("mou", "MoU with a US green chemicals cluster", "US", "2013-04-18"),
        ("mou", "MoU with a Japanese bio-based products cluster", "JP", "2013-05-22"),
        ("mou", "MoU with a Brazilian green chemicals cluster", "BR", "2013-09-10"),
        ("mou", "MoU with an Indian bio-based products cluster", "IN", "2013-11-05"),
        ("joint_roadmap", "Joint internationalisation roadmap", "", "2013-03-01"),
    ]),
    ("Textile 2020", "Textiles", ["FR", "ES"], [
        ("joint_office", "Joint office in Europe (Brussels)", "", "2013-07-01"),
        ("business_trip", "Business trip to Tunis, Tunisia", "TN", "2013-10-14"),
    ]),
    ("EU4Sports", "Sport", ["ES", "IT"], [
        ("other", "Cluster matchmaking events in Brazil and Russia", "", "2013-08-20"),
        ("joint_roadmap", "Joint internationalisation roadmap", "", "2013-02-15"),
    ]),
    ("BioXClusters", "Biotechnology", ["DE", "FR"], [
        ("mou", "MoU with a US biotech cluster (1 of 3)", "US", "2013-03-12"),
        ("mou", "MoU with a US biotech cluster (2 of 3)", "US", "2013-05-07"),
        ("mou", "MoU with a US biotech cluster (3 of 3)", "US", "2013-09-24"),
        ("mou", "MoU with a Chinese biotech cluster (1 of 2)", "CN", "2013-06-03"),
        ("mou", "MoU with a Chinese biotech cluster (2 of 2)", "CN", "2013-10-29"),
        ("mou", "MoU with an Indian biotech cluster", "IN", "2013-11-19"),
        ("joint_office", "Office in China, with one incoming consultant from China", "CN",
         "2013-12-02"),
    ]),
    ("REINA", "Clean energy", ["ES", "IT"], [
        ("business_trip", "Business trip to Tunis, Tunisia", "TN", "2013-05-27"),
        ("joint_roadmap", "Joint internationalisation roadmap", "", "2013-04-08"),
    ]),
]  # fmt: skip

CPH = zoneinfo.ZoneInfo("Europe/Brussels")


def _organization(name: str, country: str, sector_name: str) -> Organization:
    existing = Organization.objects.filter(name=name).first()
    if existing is not None:
        return existing
    city, latitude, longitude = PLACES.get(country, ("", None, None))
    return organization_create(
        by=None,
        validated=True,
        sectors=[sector_get_or_create(name=sector_name)],
        name=name,
        kind=Organization.Kind.CLUSTER,
        country=country,
        # US organisations carry their state, as the directory's filter expects.
        region="New York" if country == "US" else "",
        city=city,
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if longitude else None,
        description="Fictional partner organisation for the demo.",
    )


def seed_bilat_4(organiser: User) -> Programme:
    programme = Programme.objects.filter(name=BILAT_4).first()
    if programme is None:
        partners = [
            (org, role)
            for name, role in (("inno TSD", "coordinator"), ("SRI International", "partner"))
            if (org := Organization.objects.filter(name=name).first()) is not None
        ]
        programme = services.programme_create(
            by=organiser,
            name=BILAT_4,
            funder="European Union, Horizon 2020",
            starts_on=dt.date(2016, 2, 1),
            # The seed gives the start only; four years is a plausible length.
            ends_on=dt.date(2020, 1, 31),
            is_public=True,
            partners=partners,
            description=(
                "Bilateral coordination for the enhancement and development of science, "
                "technology and innovation partnerships between the European Union and the "
                "United States. Its partners inno TSD and SRI International organised the 2018 "
                "High-Level US Cluster Mission to the EU and its roundtable in Copenhagen."
            ),
        )
    mission = Mission.objects.filter(title=MISSION_TITLE).first()
    activities = [
        mission,
        Call.objects.filter(mission=mission, title=CALL_TITLE).first() if mission else None,
        Event.objects.filter(title=ROUNDTABLE_TITLE).order_by("starts_at").first(),
    ]
    for activity in activities:
        if activity is not None:
            services.programme_link_activity(programme=programme, activity=activity, by=organiser)
    return programme


# (kind, title, city, zone, date, capacity); fictional, within 2012–2015.
BILAT_2_EVENTS = [
    ("conference", "EU-US Innovation Partnerships Conference", "Brussels", "Europe/Brussels",
     "2014-03-18", 150),
    ("conference", "Science Diplomacy and EU-US Cooperation Conference", "Washington, DC",
     "America/New_York", "2015-04-21", 80),
    ("workshop", "Horizon 2020 opportunities for US researchers", "Boston", "America/New_York",
     "2013-10-08", 40),
    ("workshop", "Transatlantic cooperation in marine and Arctic research", "Seattle",
     "America/Los_Angeles", "2014-06-12", 30),
    ("workshop", "EU-US framework conditions for innovation cooperation", "Berlin",
     "Europe/Berlin", "2014-09-25", 35),
    ("workshop", "US participation in FP7 collaborative projects", "Chicago", "America/Chicago",
     "2013-05-14", 40),
    ("workshop", "Joint EU-US research on health and ageing", "Vienna", "Europe/Vienna",
     "2015-02-10", 30),
]  # fmt: skip


def seed_bilat_2(organiser: User) -> Programme:
    programme = Programme.objects.filter(name=BILAT_2).first()
    if programme is None:
        programme = services.programme_create(
            by=organiser,
            name=BILAT_2,
            funder="European Union, Seventh Framework Programme",
            # The seed gives no dates; the programme's years here are plausible ones.
            starts_on=dt.date(2012, 10, 1),
            ends_on=dt.date(2015, 9, 30),
            is_public=True,
            description=(
                "Bilateral coordination for the enhancement and development of S&T partnerships "
                "between the European Union and the United States of America. Two high-level "
                "conferences, one in the EU with about 150 experts, policymakers and "
                "stakeholders and one in the US on science diplomacy, and 45 workshops; the "
                "events listed here are a sample, with fictional titles and dates."
            ),
        )
    for kind, title, city, zone, day, capacity in BILAT_2_EVENTS:
        event = Event.objects.filter(title=title).first()
        if event is None:
            starts_at = dt.datetime.combine(
                dt.date.fromisoformat(day), dt.time(9), tzinfo=zoneinfo.ZoneInfo(zone)
            )
            event = event_services.event_create(
                by=organiser,
                kind=kind,
                title=title,
                city=city,
                time_zone=zone,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=8 if kind == "conference" else 4),
                registration_deadline=starts_at - dt.timedelta(days=7),
                capacity=capacity,
                approval_required=False,
                description="A BILAT USA 2.0 event (fictional title and date for the demo).",
            )
            event = event_services.event_publish(event=event, by=organiser)
        services.programme_link_activity(programme=programme, activity=event, by=organiser)
    return programme


def seed_escps(organiser: User) -> list[Partnership]:
    partnerships = []
    for name, short, sector, count, countries, targets, regions in ESCPS:
        partnership = Partnership.objects.filter(name=name).first()
        if partnership is None:
            # The partner count spread over the listed countries, in the table's order.
            partners = [
                _organization(
                    f"{short} partner {number + 1}", countries[number % len(countries)], sector
                )
                for number in range(count)
            ]
            partnership = services.partnership_create(
                by=organiser,
                name=name,
                starts_on=dt.date(2013, 1, 1),
                ends_on=dt.date(2015, 12, 31),
                sectors=[sector_get_or_create(name=sector)],
                partners=[
                    (org, "lead" if number == 0 else "partner")
                    for number, org in enumerate(partners)
                ],
                target_countries=targets,
                target_regions=regions,
                validated=True,
                description=(
                    f"European Strategic Cluster Partnership in {sector.lower()}: {count} "
                    f"partners from {len(countries)} countries (partners are fictional in the "
                    "demo)."
                ),
            )
        partnerships.append(partnership)
    return partnerships


def seed_cip_outcomes(organiser: User, staff: User) -> int:
    recorded = 0
    for project, sector, countries, outcomes in CIP_PROJECTS:
        partnership = Partnership.objects.filter(name=project).first()
        if partnership is None:
            partners = [
                _organization(f"{project} partner {number + 1}", country, sector)
                for number, country in enumerate(countries)
            ]
            partnership = services.partnership_create(
                by=organiser,
                name=project,
                starts_on=dt.date(2012, 9, 1),
                ends_on=dt.date(2014, 8, 31),
                sectors=[sector_get_or_create(name=sector)],
                partners=[(org, "partner") for org in partners],
                validated=True,
                description=(
                    "A CIP 2012/2013 cluster internationalisation project with third "
                    "countries (its partners are fictional in the demo)."
                ),
            )
        if partnership.outcomes.exists():
            continue
        partners = list(partnership.partners.order_by("name"))
        for kind, title, country, day in outcomes:
            involved = list(partners)
            if country:
                involved.append(
                    _organization(f"{project} counterpart in {country}", country, sector)
                )
            outcome = services.outcome_report(
                by=organiser,
                source=partnership,
                kind=kind,
                title=title,
                date=dt.date.fromisoformat(day),
                organizations=involved,
                visibility=Outcome.Visibility.PUBLIC,
            )
            services.outcome_verify(outcome=outcome, by=staff)
            recorded += 1
    return recorded


def seed() -> dict:
    organiser = User.objects.get(email="organiser@example.org")
    staff = User.objects.get(email="staff@example.org")
    with transaction.atomic():
        bilat_4 = seed_bilat_4(organiser)
        bilat_2 = seed_bilat_2(organiser)
        escps = seed_escps(organiser)
        outcomes = seed_cip_outcomes(organiser, staff)
    return {"programmes": [bilat_4, bilat_2], "partnerships": escps, "outcomes": outcomes}
