"""Sub-menus are one component of the design system: ``.subnav`` in ``static/css/site.css``.

A sub-menu lists the sections of one mission, call, programme or matchmaking session under its
heading: ``<nav class="subnav" aria-label="…"><ul><li><a …>…</a></li>…</ul></nav>``, the
section shown marked ``aria-current="page"``. Its style lives in site.css, which every page
loads; a copy in an app's stylesheet (missions.css, loaded by mission pages only) left the
same markup a bulleted list everywhere else.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.design.test_empty_states import TEMPLATES, screen_templates
from tests.factories import make_user
from tests.matchmaking.factories import make_participant, make_session
from tests.missions.calls.factories import make_call
from tests.missions.factories import make_mission

STATIC = TEMPLATES.parent / "static"
SITE_CSS = STATIC / "css" / "site.css"

NAV = re.compile(r"<nav\b([^>]*)>(.*?)</nav>", re.DOTALL)
CLASS = re.compile(r"""\bclass=["']([^"']*)["']""")
# The navigation that is not a sub-menu: the site's header, breadcrumbs and pagination.
OTHER_NAVS = {"breadcrumbs", "pagination"}
# Class names a sub-menu was once made with, before it was one component.
RETIRED = re.compile(r"\bnav-inline\b")


def classes(attributes: str) -> set[str]:
    match = CLASS.search(attributes)
    return set(match.group(1).split()) if match else set()


def misdrawn_menus(name: str, source: str) -> list[str]:
    """The navigation of template ``name`` that is not drawn the one way: every ``<nav>`` is
    the header's (base.html), breadcrumbs, pagination, or a ``.subnav`` with an aria-label
    whose first element is a plain ``<ul>``; no list carries a retired class."""
    wrong = []
    for attributes, body in NAV.findall(source):
        kinds = classes(attributes)
        if kinds & OTHER_NAVS or (name == "base.html" and not kinds):
            continue
        first = re.search(r"<(\w+)([^>]*)>", body)
        if "subnav" not in kinds or "aria-label=" not in attributes:
            wrong.append(f"<nav{attributes}>")
        elif not first or first.group(1) != "ul" or classes(first.group(2)):
            wrong.append(f"<nav{attributes}> holds {first.group(0) if first else 'nothing'}")
    wrong.extend(f"retired class {match.group(0)}" for match in RETIRED.finditer(source))
    return wrong


def sub_menu_templates() -> set[str]:
    return {
        path.relative_to(TEMPLATES).as_posix()
        for path in screen_templates()
        if 'class="subnav"' in path.read_text(encoding="utf-8")
    }


def test_the_scan_flags_a_menu_drawn_another_way_and_passes_the_component():
    component = '<nav class="subnav" aria-label="Mission">\n  <ul>\n    <li><a href="/">O</a></li>'
    assert misdrawn_menus("x.html", component + "</ul></nav>") == []
    assert misdrawn_menus("x.html", '<nav class="breadcrumbs" aria-label="B"><ol></ol></nav>') == []
    assert (
        misdrawn_menus("base.html", '<nav aria-label="Main"><ul class="nav-list"></ul></nav>') == []
    )

    assert misdrawn_menus(
        "x.html", '<nav class="meta" aria-label="Call"><a href="/">C</a></nav>'
    ) == ['<nav class="meta" aria-label="Call">']
    assert misdrawn_menus("x.html", '<nav aria-label="P"><ul class="nav-list"></ul></nav>') == [
        '<nav aria-label="P">'
    ]
    assert misdrawn_menus("x.html", '<nav class="subnav"><ul></ul></nav>') == [
        '<nav class="subnav">'
    ]
    assert misdrawn_menus(
        "x.html", '<nav class="subnav" aria-label="M"><ul class="nav-inline"></ul></nav>'
    ) == [
        '<nav class="subnav" aria-label="M"> holds <ul class="nav-inline">',
        "retired class nav-inline",
    ]
    assert misdrawn_menus("x.html", '<ul class="nav-inline"><li></li></ul>') == [
        "retired class nav-inline"
    ]


def test_the_sub_menus_are_the_ones_of_missions_calls_programmes_and_sessions():
    """The scan below reads these: a sub-menu added elsewhere joins the list on purpose."""
    assert sub_menu_templates() == {
        "matchmaking/_session_nav.html",
        "missions/_mission_nav.html",
        "missions/calls/_call_nav.html",
        "missions/mission_plan.html",
        "programmes/includes/programme_nav.html",
    }


@pytest.mark.parametrize(
    "path", screen_templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix()
)
def test_every_menu_on_a_screen_is_the_one_sub_menu(path):
    name = path.relative_to(TEMPLATES).as_posix()
    assert misdrawn_menus(name, path.read_text(encoding="utf-8")) == []


def test_site_css_defines_and_documents_the_sub_menu():
    css = SITE_CSS.read_text(encoding="utf-8")
    header = css.split("*/", 1)[0]

    assert re.search(r"^ \*\s+Sub-menus\s+\.subnav\b", header, re.MULTILINE)
    assert re.search(r"^\.subnav \{[^}]*border-bottom", css, re.MULTILINE)
    assert re.search(r"^\.subnav ul \{[^}]*list-style: none", css, re.MULTILINE)
    assert re.search(r'^\.subnav a\[aria-current="page"\] \{', css, re.MULTILINE)
    assert re.search(r"@media print \{ \.subnav \{ display: none; \} \}", css)


def test_no_other_stylesheet_styles_a_sub_menu():
    """missions.css (mission pages only) no longer holds a copy, nor does any other sheet."""
    styled = sorted(
        path.relative_to(STATIC).as_posix()
        for path in STATIC.rglob("*.css")
        if path != SITE_CSS and re.search(r"\.(subnav|nav-inline)\b", path.read_text("utf-8"))
    )
    assert styled == []
    assert (STATIC / "missions" / "missions.css").is_file()  # the sheet the copy was in


# Rendered pages: one sub-menu, its sections for this reader, the section shown marked.

SUBNAV = re.compile(r'<nav class="subnav" aria-label="([^"]+)">(.*?)</nav>', re.DOTALL)
LINK = re.compile(r"<a [^>]*?(aria-current=\"page\")?>(.*?)</a>", re.DOTALL)


def sub_menus(page: str) -> list[tuple[str, list[str], list[str]]]:
    """Each sub-menu of ``page``: its label, its sections' labels, and the current ones."""
    menus = []
    for label, body in SUBNAV.findall(page):
        links = [
            (bool(current), html.unescape(text).strip()) for current, text in LINK.findall(body)
        ]
        menus.append(
            (
                html.unescape(label),
                [text for _current, text in links],
                [text for current, text in links if current],
            )
        )
    return menus


ORGANISER_TABS = [
    "Overview",
    "Participants",
    "Settings",
    "Days, slots and tables",
    "Schedule",
    "Dashboard",
    "Desk",
    "Table sheet",
]


@pytest.mark.parametrize(
    "view_name, current",
    [
        ("session", "Overview"),
        ("participants", "Participants"),
        ("edit", "Settings"),
        ("setup", "Days, slots and tables"),
        ("schedule", "Schedule"),
        ("dashboard", "Dashboard"),
        ("desk", "Desk"),
        ("table_sheet", "Table sheet"),
    ],
)
def test_a_session_page_has_one_sub_menu_with_its_section_marked(
    client, organiser, view_name, current
):
    """The organisers' pages once stacked a second menu that repeated two sections."""
    session = make_session(organiser)
    client.force_login(organiser)

    page = client.get(reverse(f"matchmaking:{view_name}", kwargs={"slug": session.slug}))

    assert page.status_code == 200
    assert sub_menus(page.content.decode()) == [("Matchmaking session", ORGANISER_TABS, [current])]


def test_a_participant_sees_their_sections_and_none_of_the_organisers(client, organiser):
    session = make_session(organiser)
    alice = make_participant(session, make_user("alice@test.example.org"), side="eu")
    client.force_login(alice.user)

    page = client.get(reverse("matchmaking:inbox", kwargs={"slug": session.slug}))

    assert sub_menus(page.content.decode()) == [
        (
            "Matchmaking session",
            [
                "Overview",
                "My profile",
                "Participants",
                "Suggested partners",
                "Requests",
                "My agenda",
            ],
            ["Requests"],
        )
    ]


def test_someone_who_has_not_joined_sees_the_sessions_overview_only(client, organiser):
    session = make_session(organiser)
    client.force_login(make_user("newcomer@test.example.org"))

    page = client.get(reverse("matchmaking:session", kwargs={"slug": session.slug}))

    assert page.status_code == 200
    assert sub_menus(page.content.decode()) == [("Matchmaking session", ["Overview"], ["Overview"])]


def test_mission_call_and_programme_pages_draw_the_same_sub_menu(client, organiser):
    from tests.programmes.factories import make_programme

    mission = make_mission(organiser)
    call = make_call(organiser, mission)
    programme = make_programme(organiser)
    client.force_login(organiser)

    def menus(view_name, **kwargs):
        page = client.get(reverse(view_name, kwargs=kwargs))
        assert page.status_code == 200, view_name
        return [(label, current) for label, _tabs, current in sub_menus(page.content.decode())]

    assert menus("missions:detail", slug=mission.slug) == [("Mission", ["Overview"])]
    assert menus("missions:plan", slug=mission.slug) == [("Planning this mission", ["Plan"])]
    assert menus("calls:manage", pk=call.pk) == [("Managing this call", ["Applications"])]
    assert menus("calls:ranking", pk=call.pk) == [("Managing this call", ["Ranking and selection"])]
    assert menus("programmes:figures", slug=programme.slug) == [("Programme", ["Figures"])]
