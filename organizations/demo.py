"""Demo organisations, sectors and users, built through the services users go through.

The organisations are the ones the seed documents name (the 2018 mission's hosts,
the roundtable's organisers, the ESCP partnerships). The US delegation is not named
in the seeds, so its organisations are fictional, one or two per named state, and
say so. No real person's contact details appear here.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import Membership, Organization, Role, Sector, User
from .services import membership_add, organization_create, sector_get_or_create, user_create

DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed by seed_demo; never used in production

DEMO_USERS = [
    ("organiser@example.org", "Olivia Organiser", "Europe/Paris", [Role.ORGANISER]),
    ("reviewer@example.org", "Ravi Reviewer", "America/New_York", [Role.REVIEWER]),
    ("applicant@example.org", "Avery Applicant", "America/Denver", [Role.US_APPLICANT]),
    ("manager@example.org", "Mette Manager", "Europe/Copenhagen", [Role.EU_CLUSTER_MANAGER]),
    ("host@example.org", "Hanne Host", "Europe/Brussels", [Role.HOST_CONTACT]),
    ("staff@example.org", "Sam Staff", "Europe/Brussels", [Role.STAFF]),
    ("admin@example.org", "Ada Admin", "UTC", [Role.SITE_ADMIN]),
]

# fmt: off
SECTORS = [
    "Clean energy", "Clean tech", "Sustainability", "Smart cities", "E-mobility",
    "Nanotechnologies", "Advanced materials", "Biotechnology", "Advanced manufacturing",
    "Lighting", "Aerospace", "ICT", "Sport", "Micro/nano-electronics", "Food", "Textiles",
    "Environmental technology", "Resource efficiency", "Healthcare", "Packaging",
    "Design", "Energy efficiency", "Water",
]

C, RI, RES, UNI, EDA, GOV, CITY, CO, BA = (
    Organization.Kind.CLUSTER,
    Organization.Kind.RI_NETWORK,
    Organization.Kind.RESEARCH_INSTITUTE,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.ECONOMIC_DEVELOPMENT,
    Organization.Kind.GOVERNMENT_PROGRAMME,
    Organization.Kind.CITY,
    Organization.Kind.COMPANY,
    Organization.Kind.BUSINESS_ASSOCIATION,
)

# name, kind, country, region, city, street, lat, lon, sectors, description
ORGANIZATIONS = [
    # Organisers of the 2018 mission and roundtable.
    ("inno TSD", CO, "FR", "Provence-Alpes-Côte d'Azur", "Sophia Antipolis", "", "43.616", "7.055",
     ["Clean tech"], "BILAT USA 4.0 partner; co-organiser of the 2018 US cluster mission."),
    ("SRI International", RES, "US", "California", "Menlo Park", "", "37.457", "-122.176",
     ["Clean energy"], "BILAT USA 4.0 partner; co-organiser of the 2018 US cluster mission."),
    # Denmark, 6–7 November 2018.
    ("BLOXHUB", C, "DK", "Capital Region of Denmark", "Copenhagen", "Bryghusgade 8",
     "55.672136", "12.578678", ["Smart cities", "Sustainability"],
     "Nordic hub for sustainable urbanisation; venue of the 2018 EU-US cluster roundtable."),
    ("Cluster Excellence Denmark", GOV, "DK", "Capital Region of Denmark", "Copenhagen", "",
     "55.676", "12.568", ["Clean tech"], "National support for Danish cluster organisations."),
    ("International Cleantech Network", C, "DK", "Capital Region of Denmark", "Copenhagen", "",
     "55.680", "12.590", ["Clean tech", "Clean energy"],
     "ESCP of 13 cleantech clusters from 12 countries, with USA, Singapore, South Korea, China "
     "and Canada as target countries."),
    ("Lifestyle & Design Cluster", C, "DK", "Region of Southern Denmark", "Kolding", "",
     "55.490", "9.472", ["Design", "Sustainability"], "Danish cluster for design and lifestyle."),
    ("House of Energy", C, "DK", "North Denmark Region", "Aalborg", "", "57.048", "9.921",
     ["Clean energy"], "Danish energy cluster."),
    ("House of Green", EDA, "DK", "Capital Region of Denmark", "Copenhagen", "", "55.665",
     "12.578", ["Sustainability", "Clean tech"], "Visitor centre for Danish green solutions."),
    ("State of Green", EDA, "DK", "Capital Region of Denmark", "Copenhagen", "", "55.665",
     "12.579", ["Sustainability", "Clean energy"], "Denmark's green public-private partnership."),
    ("CLEAN", C, "DK", "Capital Region of Denmark", "Copenhagen", "", "55.688", "12.560",
     ["Clean tech", "Environmental technology"], "Danish environmental technology cluster."),
    # Sweden, 7 November 2018.
    ("Business Region Skåne", EDA, "SE", "Skåne", "Malmö", "", "55.605", "13.003",
     ["Clean tech", "Clean energy", "Sustainability"],
     "Regional business development for Skåne; hosted the delegation in Malmö."),
    # Belgium, 8 November 2018.
    ("EnergyVille", RES, "BE", "Flanders", "Genk", "", "50.964", "5.501",
     ["Clean energy", "Smart cities"],
     "Collaborative research centre on sustainable energy systems for urban areas."),
    ("The Beacon", C, "BE", "Flanders", "Antwerp", "", "51.229", "4.421",
     ["Smart cities", "ICT"], "Antwerp's smart-city and IoT hub."),
    ("Flux50", C, "BE", "Flanders", "Brussels", "", "50.850", "4.352",
     ["Clean energy", "Energy efficiency"], "Flemish energy cluster."),
    ("City of Antwerp", CITY, "BE", "Flanders", "Antwerp", "", "51.219", "4.402",
     ["Smart cities", "Sustainability"], "The city administration of Antwerp."),
    ("imec", RES, "BE", "Flanders", "Leuven", "", "50.864", "4.678",
     ["Micro/nano-electronics", "Nanotechnologies"], "Research centre for nanoelectronics."),
    ("University of Antwerp", UNI, "BE", "Flanders", "Antwerp", "", "51.222", "4.410",
     ["Sustainability"], "University in Antwerp."),
    ("Blue Gate Antwerp", EDA, "BE", "Flanders", "Antwerp", "", "51.191", "4.395",
     ["Clean tech", "Sustainability"], "Eco-effective business park developed with Bopro."),
    ("DSP Valley", C, "BE", "Flanders", "Leuven", "", "50.879", "4.701",
     ["ICT", "Micro/nano-electronics"], "Cluster for smart electronic systems."),
    # The Netherlands, 9 November 2018.
    ("Clean Tech Delta", C, "NL", "South Holland", "Rotterdam", "", "51.922", "4.479",
     ["Clean tech", "Sustainability"], "Rotterdam cleantech cluster; hosted the delegation."),
    ("Roadmap Next Economy", GOV, "NL", "South Holland", "Rotterdam", "", "51.924", "4.470",
     ["Sustainability", "Smart cities"], "Regional transition agenda for the Rotterdam–The "
     "Hague metropolitan area."),
    ("Interreg SCALE-UP", GOV, "NL", "South Holland", "Rotterdam", "", "51.918", "4.483",
     ["Clean tech"], "Interreg project supporting cleantech scale-ups."),
    ("Rotterdam Partners", EDA, "NL", "South Holland", "Rotterdam", "", "51.917", "4.485",
     ["Smart cities"], "Rotterdam's economic development and city marketing agency."),
    ("InnovationQuarter", EDA, "NL", "South Holland", "The Hague", "", "52.077", "4.313",
     ["Clean tech", "ICT"], "Regional development agency for West Holland."),
    ("Cambridge Cleantech", C, "GB", "East of England", "Cambridge", "", "52.205", "0.119",
     ["Clean tech", "Sustainability"], "Cleantech cluster in Cambridge, UK."),
    # European Strategic Cluster Partnerships (ESCP table, 2014).
    ("European Lighting Cluster Alliance (ELCA)", RI, "DK", "", "", "", None, None,
     ["Lighting"], "ESCP: 11 partners from 10 countries; target country China."),
    ("European Aerospace Cluster Partnership (EACP)", RI, "FR", "", "", "", None, None,
     ["Aerospace"], "ESCP: 9 partners from 5 countries; targets USA, Canada, Japan."),
    ("ICT4Future", RI, "PT", "", "", "", None, None,
     ["ICT"], "ESCP: 5 partners from 5 countries; targets USA, Brazil, Russia."),
    ("European Sports Cluster Partnership", RI, "ES", "", "", "", None, None,
     ["Sport"], "ESCP: 5 partners from 4 countries; targets USA, Taiwan, Korea, Japan, Brazil, "
     "Argentina, Chile."),
    ("European Semiconductor Cluster Consortium (ESCC)", RI, "DE", "", "", "", None, None,
     ["Micro/nano-electronics"], "ESCP: 6 partners from 6 countries; targets USA, Taiwan, "
     "Korea, Israel, China."),
    ("Food, Health & Wellbeing Partnership", RI, "IT", "", "", "", None, None,
     ["Food", "Healthcare"], "ESCP: 12 partners from 9 countries."),
    ("Textile2020", RI, "FR", "", "", "", None, None,
     ["Textiles", "Advanced materials"], "ESCP: 8 partners from 6 countries."),
    ("ESCP Energy in Water", RI, "ES", "", "", "", None, None,
     ["Environmental technology", "Water"], "ESCP: 9 partners from 8 countries."),
    ("Mind the Gap – Health and Wellbeing for Elderly", RI, "DK", "", "", "", None, None,
     ["Advanced materials", "Healthcare"], "ESCP: 7 partners from 5 countries."),
    ("Photonics & Packaging for Innovation (3P4I)", RI, "ES", "", "", "", None, None,
     ["Packaging", "Food"], "ESCP: 5 partners from 3 countries."),
    ("ESCP for Personalized Healthcare", RI, "ES", "", "", "", None, None,
     ["Healthcare", "Biotechnology"], "ESCP: 5 partners from 5 countries."),
    ("Natural Resource Efficient Europe (Natureef)", RI, "PT", "", "", "", None, None,
     ["Resource efficiency"], "ESCP: 10 partners from 10 countries."),
]

# Fictional US organisations, one or two for each state the 2018 delegation came from.
FICTIONAL = "Fictional demo organisation standing for a US cluster-like organisation."
US_ORGANIZATIONS = [
    ("Golden State Cleantech Alliance", C, "California", "Sacramento", "38.576", "-121.494",
     ["Clean tech", "E-mobility"]),
    ("Bay Area Smart Mobility Network", RI, "California", "Oakland", "37.804", "-122.271",
     ["E-mobility", "Smart cities"]),
    ("Front Range Energy Cluster", C, "Colorado", "Denver", "39.739", "-104.990",
     ["Clean energy"]),
    ("Chesapeake Clean Energy Council", BA, "Maryland", "Baltimore", "39.290", "-76.612",
     ["Clean energy", "Sustainability"]),
    ("Magnolia Advanced Manufacturing Network", RI, "Mississippi", "Jackson", "32.299",
     "-90.185", ["Advanced manufacturing", "Clean tech"]),
    ("Empire State Smart Cities Consortium", C, "New York", "Buffalo", "42.886", "-78.878",
     ["Smart cities", "Sustainability"]),
    ("Research Triangle Cleantech Cluster", C, "North Carolina", "Raleigh", "35.780", "-78.639",
     ["Clean tech", "Clean energy"]),
    ("Buckeye Energy Innovation Network", RI, "Ohio", "Columbus", "39.961", "-82.999",
     ["Clean energy", "Advanced materials"]),
    ("Gulf Coast Sustainability Alliance", BA, "Texas", "Houston", "29.760", "-95.370",
     ["Sustainability", "Clean energy"]),
    ("Lone Star E-Mobility Cluster", C, "Texas", "Austin", "30.267", "-97.743",
     ["E-mobility"]),
    ("Cascadia Clean Economy Cluster", C, "Washington", "Seattle", "47.606", "-122.332",
     ["Clean tech", "Sustainability"]),
]

# fmt: on

# Who belongs where: the demo users' organisations.
MEMBERSHIPS = [
    ("applicant@example.org", "Front Range Energy Cluster", Membership.Role.MANAGER),
    ("manager@example.org", "CLEAN", Membership.Role.MANAGER),
    ("host@example.org", "EnergyVille", Membership.Role.MANAGER),
    ("organiser@example.org", "inno TSD", Membership.Role.MANAGER),
    ("reviewer@example.org", "SRI International", Membership.Role.MEMBER),
]


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def seed_sectors() -> dict[str, Sector]:
    return {name: sector_get_or_create(name=name) for name in SECTORS}


def seed_users() -> dict[str, User]:
    users = {}
    for email, full_name, zone, roles in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                home_time_zone=zone,
                roles=roles,
            )
        _mark_email_verified(user)
        users[email] = user
    return users


def _mark_email_verified(user: User) -> None:
    """Demo accounts log in at once; allauth requires a verified address otherwise."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed_organizations(sectors: dict[str, Sector], organiser: User) -> dict[str, Organization]:
    rows = [
        (name, kind, country, region, city, street, lat, lon, names, text)
        for (name, kind, country, region, city, street, lat, lon, names, text) in ORGANIZATIONS
    ] + [
        (name, kind, "US", state, city, "", lat, lon, names, FICTIONAL)
        for (name, kind, state, city, lat, lon, names) in US_ORGANIZATIONS
    ]
    existing = {o.name: o for o in Organization.objects.filter(name__in=[r[0] for r in rows])}
    for name, kind, country, region, city, street, lat, lon, names, text in rows:
        if name in existing:
            continue
        existing[name] = organization_create(
            by=None,
            validated=True,
            sectors=[sectors[n] for n in names],
            name=name,
            kind=kind,
            country=country,
            region=region,
            city=city,
            street_address=street,
            latitude=_decimal(lat),
            longitude=_decimal(lon),
            description=text,
        )
    return existing


@transaction.atomic
def seed() -> dict:
    """Create (or complete) the demo organisations, sectors and users. Idempotent."""
    sectors = seed_sectors()
    users = seed_users()
    organizations = seed_organizations(sectors, users["organiser@example.org"])
    for email, organization_name, role in MEMBERSHIPS:
        membership_add(organization=organizations[organization_name], user=users[email], role=role)
    return {"sectors": sectors, "users": users, "organizations": organizations}
