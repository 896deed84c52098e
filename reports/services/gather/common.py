"""What every document's data shares: the fingerprint, dates and organisations as text,
counts, the survey aggregates, the organisers' texts and the matchmaking figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from missions.events.models import Event
from missions.models import Mission
from organizations.models import Organization

from ...models import ReportText, Survey, SurveyQuestion

# Bumped when a template or the data's shape changes, so old files are not reused.
LAYOUT_VERSION = 2


def fingerprint(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _dates(start: dt.date, end: dt.date) -> str:
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def _country(organization: Organization) -> str:
    return str(organization.country.name) if organization.country else ""


def _organization(organization: Organization, *, sectors: bool = True) -> dict[str, Any]:
    row = {
        "id": organization.pk,
        "name": organization.name,
        "kind": str(organization.get_kind_display()),
        "country": _country(organization),
        "region": organization.region,
        "city": organization.city,
        "website": organization.website,
        "description": organization.description,
    }
    if sectors:
        row["sectors"] = sorted(s.name for s in organization.sectors.all())
    return row


def _counted(values) -> list[list[Any]]:
    """[[value, count], …], most frequent first, then alphabetical; blanks left out."""
    counts = Counter(value for value in values if value)
    return [[value, count] for value, count in sorted(counts.items(), key=lambda p: (-p[1], p[0]))]


# --- surveys -----------------------------------------------------------------------------


def _survey_results(survey: Survey | None, usefulness_labels: dict[str, str]) -> dict[str, Any]:
    """Aggregates of a survey's answers; comments only where the respondent agreed to be
    quoted. Reads the survey's responses and questions already prefetched."""
    if survey is None:
        return {"responses": 0}
    responses = list(survey.responses.all())
    questions = list(survey.questions.all())
    result: dict[str, Any] = {
        "responses": len(responses),
        "invited": survey.invited_count,
    }
    if not responses:
        return result
    ratings = [r.overall_rating for r in responses]
    result["rating_mean"] = round(sum(ratings) / len(ratings), 1)
    result["rating_counts"] = [[score, ratings.count(score)] for score in range(1, 6)]
    result["contacts_made"] = sum(r.contacts_made for r in responses)
    result["collaborations_planned"] = sum(r.collaborations_planned for r in responses)
    per_item: dict[str, list[int]] = defaultdict(list)
    per_question: dict[str, list[Any]] = defaultdict(list)
    for response in responses:
        for key, value in (response.answers.get("usefulness") or {}).items():
            if key in usefulness_labels and isinstance(value, int):
                per_item[key].append(value)
        for key, value in (response.answers.get("questions") or {}).items():
            per_question[key].append(value)
    result["usefulness"] = [
        [label, round(sum(per_item[key]) / len(per_item[key]), 1), len(per_item[key])]
        for key, label in usefulness_labels.items()
        if per_item.get(key)
    ]
    result["questions"] = []
    for question in questions:
        values = per_question.get(str(question.pk), [])
        row: dict[str, Any] = {"label": question.label, "kind": question.kind}
        if question.kind == SurveyQuestion.Kind.RATING:
            numbers = [v for v in values if isinstance(v, int)]
            row["mean"] = round(sum(numbers) / len(numbers), 1) if numbers else None
            row["answers"] = len(numbers)
        else:
            row["answers"] = len([v for v in values if v])
        result["questions"].append(row)
    # Quoted only with consent; never the name, only the role they answered as.
    result["quotes"] = [
        {"text": r.comments, "role": str(r.get_role_display() or "")}
        for r in responses
        if r.consent_to_quote and r.comments.strip()
    ]
    return result


def _survey_query():
    from django.db.models import Count

    return Survey.objects.annotate(invited_count=Count("invitations")).prefetch_related(
        Prefetch("responses", queryset=_responses_ordered()),
        Prefetch("questions", queryset=SurveyQuestion.objects.order_by("position", "pk")),
    )


def _responses_ordered():
    from ...models import SurveyResponse

    return SurveyResponse.objects.order_by("submitted_at", "pk")


def _texts(**target) -> dict[str, str]:
    text = ReportText.objects.filter(**target).first()
    if text is None:
        return {"summary": "", "roundtable_summary": "", "conclusions": ""}
    return {
        "summary": text.summary,
        "roundtable_summary": text.roundtable_summary,
        "conclusions": text.conclusions,
    }


def _matchmaking(*, mission: Mission | None = None, event: Event | None = None):
    """The matchmaking figures of the target's session, where matchmaking provides them."""
    try:
        from matchmaking import figures  # provided by the matchmaking app when it is ready
        from matchmaking.models import Session
    except ImportError:
        return None
    session = Session.objects.filter(mission=mission, event=event).order_by("pk").first()
    if session is None:
        return None
    found = figures.session_figures(session)
    labels = [
        ("participants", _("Participants")),
        ("requested", _("Meetings requested")),
        ("accepted", _("Requests accepted")),
        ("meetings_scheduled", _("Meetings scheduled")),
        ("meetings_held", _("Meetings held")),
        ("no_shows", _("No-shows")),
        ("outcomes_recorded", _("Outcomes recorded")),
        ("follow_ups_planned", _("Follow-ups planned")),
        ("mous", _("Memoranda of understanding")),
        ("agreements", _("Agreements signed")),
    ]
    rows = [[str(label), found[key]] for key, label in labels if key in found]
    for kind, counts in sorted((found.get("by_kind") or {}).items()):
        rows.append(
            [
                _("%(kind)s meetings: requested / held") % {"kind": kind.upper()},
                f"{counts.get('requested', 0)} / {counts.get('held', 0)}",
            ]
        )
    if found.get("average_rating") is not None:
        rows.append([_("Average meeting rating"), round(float(found["average_rating"]), 1)])
    return rows
