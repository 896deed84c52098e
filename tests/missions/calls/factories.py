"""Calls test data, built through the calls services. Plain functions, no mocks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from missions.calls import services
from missions.calls.models import Application, Call, Question
from organizations.models import Membership, Organization, Role, User
from organizations.services import membership_add

from ...factories import make_organization, make_sector, make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(content: bytes, name: str) -> ContentFile:
    """A file as a view hands it to the service; ContentFile keeps the name as given."""
    return ContentFile(content, name=name)


def make_call(
    organiser: User,
    mission,
    *,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    time_zone: str = "America/New_York",
    max_delegates: int = 3,
    max_per_organization: int = 1,
    with_form: bool = True,
    **fields,
) -> Call:
    now = timezone.now()
    call = services.call_create(
        mission=mission,
        by=organiser,
        title=fields.pop("title", "Call for expression of interest"),
        description="Join the delegation.",
        eligibility="US cluster organisations.",
        opens_at=opens_at or now - dt.timedelta(days=10),
        closes_at=closes_at or now + dt.timedelta(days=10),
        time_zone=time_zone,
        max_delegates=max_delegates,
        max_per_organization=max_per_organization,
        is_published=fields.pop("is_published", True),
        **fields,
    )
    if with_form:
        services.question_add(
            call=call, by=organiser, kind=Question.Kind.TEXT, label="Your role", position=1
        )
        services.question_add(
            call=call,
            by=organiser,
            kind=Question.Kind.LONG_TEXT,
            label="Motivation",
            max_length=200,
            position=2,
        )
        services.question_add(
            call=call,
            by=organiser,
            kind=Question.Kind.CHOICE,
            label="Main sector",
            choices=["Clean energy", "Smart cities"],
            position=3,
        )
        services.question_add(
            call=call,
            by=organiser,
            kind=Question.Kind.MULTIPLE_CHOICE,
            label="Interests",
            choices=["Visits", "Roundtable", "Matchmaking"],
            required=False,
            position=4,
        )
        services.question_add(
            call=call,
            by=organiser,
            kind=Question.Kind.YES_NO,
            label="Can you travel?",
            position=5,
        )
        services.question_add(
            call=call,
            by=organiser,
            kind=Question.Kind.FILE,
            label="Letter of support",
            required=False,
            position=6,
        )
        services.criterion_add(call=call, by=organiser, name="Fit", weight=2, scale_max=5)
        services.criterion_add(call=call, by=organiser, name="Impact", weight=1, scale_max=10)
    return call


def complete_answers(call: Call) -> dict:
    answers = {}
    for question in call.questions.all():
        value = {
            Question.Kind.TEXT: "Cluster manager",
            Question.Kind.LONG_TEXT: "We want to meet EU clusters.",
            Question.Kind.CHOICE: "Clean energy",
            Question.Kind.MULTIPLE_CHOICE: ["Visits"],
            Question.Kind.YES_NO: True,
        }.get(question.kind)
        if value is not None:
            answers[str(question.pk)] = value
    return answers


def make_us_org(name: str, state: str, *sector_names: str, city: str = "") -> Organization:
    return make_organization(
        name,
        country="US",
        region=state,
        city=city or state,
        sectors=tuple(make_sector(s) for s in sector_names),
    )


def make_applicant(email: str, organization: Organization, **kwargs) -> User:
    user = make_user(email, roles=(Role.US_APPLICANT,), **kwargs)
    membership_add(organization=organization, user=user, role=Membership.Role.MANAGER)
    return user


def make_application(
    call: Call, user: User, organization: Organization, *, submit: bool = True
) -> Application:
    application = services.application_start(call=call, by=user, organization=organization)
    application = services.application_save_draft(
        application=application, by=user, answers=complete_answers(call)
    )
    if submit:
        application = services.application_submit(application=application, by=user)
    return application


def score_all(assignment, by: User, fit: int, impact: int, comment: str = "Good.") -> None:
    criteria = {c.name: c for c in assignment.application.call.criteria.all()}
    services.scores_submit(
        assignment=assignment,
        by=by,
        scores={criteria["Fit"].pk: (fit, comment), criteria["Impact"].pk: (impact, comment)},
    )
