"""Gather a document's data: plain, JSON-ready dicts read through the apps' selectors.

Each ``*_data`` function reads a fixed number of queries however many days, visits,
delegates, registrations or answers there are (its query-count test holds it to that), and
returns only text, numbers, lists and dicts, in a stable order: the fingerprint of a
document is the hash of this data, and the templates render nothing else. Times are
formatted here, in the venue's zone, so the data says exactly what the page will print.

Split by document: ``common`` (the fingerprint, text helpers, surveys, matchmaking
figures), ``missions``, ``events`` and ``sessions`` (matchmaking); this module picks
the one a kind needs.

Who may call: the report services (``report_request``, ``report_render``), which check
permissions first; these functions read everything of their target.
"""

from __future__ import annotations

from typing import Any

from missions.events.models import Registration

from ...models import ReportJob
from .common import (
    LAYOUT_VERSION,
    _counted,
    _country,
    _dates,
    _day,
    _matchmaking,
    _organization,
    _responses_ordered,
    _survey_query,
    _survey_results,
    _texts,
    fingerprint,
)
from .events import badge_data, participant_list_data, roundtable_report_data
from .missions import delegation_booklet_data, mission_report_data
from .sessions import agendas_data, table_sheet_data

__all__ = [
    "LAYOUT_VERSION",
    "_counted",
    "_country",
    "_dates",
    "_day",
    "_matchmaking",
    "_organization",
    "_responses_ordered",
    "_survey_query",
    "_survey_results",
    "_texts",
    "agendas_data",
    "badge_data",
    "delegation_booklet_data",
    "document_data",
    "fingerprint",
    "mission_report_data",
    "participant_list_data",
    "roundtable_report_data",
    "table_sheet_data",
]


def document_data(kind: str, target) -> dict[str, Any]:
    """The data of document ``kind`` for ``target`` (a mission, an event, a registration or
    a matchmaking session)."""
    Kind = ReportJob.Kind
    if kind == Kind.MISSION_REPORT:
        return mission_report_data(target)
    if kind == Kind.DELEGATION_BOOKLET:
        return delegation_booklet_data(target)
    if kind == Kind.ROUNDTABLE_REPORT:
        return roundtable_report_data(target)
    if kind == Kind.PARTICIPANT_LIST:
        return {**participant_list_data(target), "kind": kind}
    if kind == Kind.BADGES:
        if isinstance(target, Registration):
            return {**badge_data(target), "kind": kind}
        return {**participant_list_data(target), "kind": kind}
    if kind == Kind.MATCHMAKING_AGENDAS:
        return agendas_data(target)
    if kind == Kind.TABLE_SHEET:
        return table_sheet_data(target)
    raise ValueError(f"unknown document kind {kind!r}")
