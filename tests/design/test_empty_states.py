"""Every list on a screen says so, in the design system's words, when it is empty.

A screen template's ``{% empty %}`` branch that holds markup (a table row, a paragraph, a list
item) marks it ``class="empty-state"`` (``static/css/site.css``): the dashed box that says what
is missing and what to do next. A branch of plain text (the "–" in a table cell or a definition)
is a placeholder inside a value, not a list's empty state, and is left alone. Printed documents
and emails have their own styles and are listed below by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Rendered to PDF or print, or sent as email: not screens, so not held to the screen's design.
NOT_SCREENS = {
    "email/base.html",
    "matchmaking/agenda_print.html",
    "matchmaking/agenda_print_entries.html",
    "matchmaking/table_sheet_print.html",
    "missions/_itinerary_print_content.html",
    "missions/itinerary_print.html",
    "missions/events/print_badges.html",
    "missions/events/print_participants.html",
    "reports/delegation_booklet.html",
    "reports/includes/survey_results.html",
    "reports/mission_report.html",
    "reports/print_base.html",
    "reports/roundtable_report.html",
}

EMPTY_BRANCH = re.compile(r"{%-?\s*empty\s*-?%}(.*?){%-?\s*endfor\s*-?%}", re.DOTALL)
TAG = re.compile(r"<(\w+)((?:\s[^>]*)?)>")
EMPTY_STATE_CLASS = re.compile(r"""class=["'][^"']*\bempty-state\b""")


def screen_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).as_posix() not in NOT_SCREENS
    )


def bare_empty_branches(source: str) -> list[str]:
    """The ``{% empty %}`` branches of ``source`` whose first element (the first cell, for a
    table row) lacks the empty-state class."""
    bare = []
    for match in EMPTY_BRANCH.finditer(source):
        branch = match.group(1)
        tags = TAG.findall(branch)
        if not tags:
            continue  # plain text: a placeholder inside a value
        name, attributes = tags[0]
        if name == "tr" and len(tags) > 1:
            name, attributes = tags[1]
        if not EMPTY_STATE_CLASS.search(attributes):
            bare.append(branch.strip())
    return bare


def test_the_scan_flags_a_bare_empty_row_and_passes_a_marked_one():
    """The check itself: a row or paragraph without the class is caught, a marked one or a
    plain-text placeholder is not."""
    bare_row = '{% for x in xs %}<tr></tr>{% empty %}<tr><td colspan="2">None</td></tr>{% endfor %}'
    bare_paragraph = "{% for x in xs %}{{ x }}{% empty %}\n  <p>None.</p>\n{% endfor %}"
    marked_row = (
        '{% for x in xs %}{% empty %}<tr><td colspan="2" class="empty-state">None</td></tr>'
        "{% endfor %}"
    )
    marked_item = '{% for x in xs %}{% empty %}<li class="meta empty-state">No.</li>{% endfor %}'
    placeholder = "<dd>{% for x in xs %}{{ x }}{% empty %}–{% endfor %}</dd>"

    assert bare_empty_branches(bare_row) == ['<tr><td colspan="2">None</td></tr>']
    assert bare_empty_branches(bare_paragraph) == ["<p>None.</p>"]
    assert bare_empty_branches(marked_row + marked_item + placeholder) == []


def test_the_templates_left_out_exist():
    """A print or email template that is renamed or removed leaves this list: otherwise the
    list would go on excusing a name that no longer means anything."""
    missing = sorted(name for name in NOT_SCREENS if not (TEMPLATES / name).is_file())
    assert missing == []


def test_the_scan_reads_the_screen_templates():
    names = {path.relative_to(TEMPLATES).as_posix() for path in screen_templates()}
    assert "missions/calls/manage_ranking.html" in names
    assert "reports/mission_report.html" not in names


@pytest.mark.parametrize(
    "path", screen_templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix()
)
def test_every_empty_list_on_a_screen_is_an_empty_state(path):
    assert bare_empty_branches(path.read_text(encoding="utf-8")) == []
