"""Every call view × every role, and the pages' behaviour."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from missions.calls import services
from missions.calls.models import Application, Attachment, DecisionTemplate

from ...factories import make_user
from .factories import PDF_BYTES, complete_answers, make_call, upload

ROLES = [
    "anonymous",
    "applicant_a",
    "applicant_b",
    "assigned_reviewer",
    "unassigned_reviewer",
    "organiser",
]


@pytest.fixture
def world(call, application_a, application_b, assignment_a, applicant_a, organiser):
    attachment = services.attachment_add(
        application=application_a, by=applicant_a, upload=upload(PDF_BYTES, "letter.pdf")
    )
    return {
        "call": call.pk,
        "application": application_a.pk,
        "attachment": attachment.pk,
        "assignment": assignment_a.pk,
        "template": DecisionTemplate.objects.filter(call=call).first().pk,
    }


def _everyone(status):
    return dict.fromkeys(ROLES[1:], status)


def _only(role, status, others=404):
    return {r: (status if r == role else others) for r in ROLES[1:]}


# (url name, kwargs keys, method, expected status per logged-in role); anonymous users are
# sent to log in except where "anonymous" is given.
MATRIX = [
    ("list", {}, "get", {**_everyone(200), "anonymous": 200}),
    ("detail", {"pk": "call"}, "get", {**_everyone(200), "anonymous": 200}),
    ("apply", {"pk": "call"}, "post", _everyone(302)),
    ("application", {"pk": "application"}, "get", _only("applicant_a", 200)),
    ("withdraw", {"pk": "application"}, "post", _only("applicant_a", 302)),
    ("upload", {"pk": "application"}, "post", _only("applicant_a", 302)),
    (
        "attachment",
        {"pk": "attachment"},
        "get",
        {**_only("applicant_a", 200), "assigned_reviewer": 200, "organiser": 200},
    ),
    ("attachment_delete", {"pk": "attachment"}, "post", _only("applicant_a", 302)),
    ("reviews", {}, "get", _everyone(200)),
    ("review", {"pk": "assignment"}, "get", _only("assigned_reviewer", 200)),
    ("conflict", {"pk": "assignment"}, "post", _only("assigned_reviewer", 302)),
    ("manage", {"pk": "call"}, "get", _only("organiser", 200)),
    ("export", {"pk": "call"}, "get", _only("organiser", 200)),
    ("assign", {"pk": "call"}, "post", _only("organiser", 302)),
    ("reviewer_search", {"pk": "call"}, "get", _only("organiser", 200)),
    ("ranking", {"pk": "call"}, "get", _only("organiser", 200)),
    ("decisions", {"pk": "call"}, "get", _only("organiser", 200)),
    (
        "decision_template",
        {"pk": "call", "template_pk": "template"},
        "get",
        _only("organiser", 200),
    ),
    (
        "manage_application",
        {"pk": "call", "application_pk": "application"},
        "get",
        _only("organiser", 200),
    ),
]

CASES = [
    pytest.param(name, kwargs, method, role, expected.get(role, "login"), id=f"{name}-{role}")
    for name, kwargs, method, expected in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("name", "kwargs", "method", "role", "expected"), CASES)
def test_permission_matrix(client, request, world, name, kwargs, method, role, expected):
    url = reverse(f"calls:{name}", kwargs={k: world[v] for k, v in kwargs.items()})
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


def test_unpublished_call_is_404_except_for_its_organisers(client, organiser, mission, applicant_a):
    call = make_call(organiser, mission, is_published=False, with_form=False)
    url = reverse("calls:detail", kwargs={"pk": call.pk})
    assert client.get(url).status_code == 404
    client.force_login(applicant_a)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_another_organiser_cannot_manage_the_call(client, call):
    from organizations.models import Role

    stranger = make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))
    client.force_login(stranger)
    assert client.get(reverse("calls:manage", kwargs={"pk": call.pk})).status_code == 404


def test_download_is_an_attachment_with_the_original_name(client, world, applicant_a):
    client.force_login(applicant_a)
    response = client.get(reverse("calls:attachment", kwargs={"pk": world["attachment"]}))
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_applicant_page_never_shows_reviewers_or_scores(
    client, world, applicant_a, assigned_reviewer, assignment_a
):
    from .factories import score_all

    score_all(assignment_a, assigned_reviewer, 4, 9, comment="Very promising cluster")
    client.force_login(applicant_a)
    page = client.get(reverse("calls:application", kwargs={"pk": world["application"]}))
    text = page.content.decode()
    assert assigned_reviewer.email not in text
    assert str(assigned_reviewer) not in text
    assert "Very promising cluster" not in text
    assert "Under review" in text


def test_reviewer_sees_others_scores_only_after_submitting(
    client, application_a, organiser, assigned_reviewer, unassigned_reviewer
):
    from .factories import score_all

    mine = services.reviewer_assign(
        application=application_a, reviewer=assigned_reviewer, by=organiser
    )
    theirs = services.reviewer_assign(
        application=application_a, reviewer=unassigned_reviewer, by=organiser
    )
    score_all(theirs, unassigned_reviewer, 1, 1, comment="Secret opinion")
    client.force_login(assigned_reviewer)
    url = reverse("calls:review", kwargs={"pk": mine.pk})
    assert "Secret opinion" not in client.get(url).content.decode()
    criteria = list(application_a.call.criteria.all())
    data = {f"c_{criteria[0].pk}": "4", f"c_{criteria[1].pk}": "7"}
    assert client.post(url, data).status_code == 302
    assert "Secret opinion" in client.get(url).content.decode()


def test_upload_through_the_page_reports_the_refusal(client, application_a, applicant_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(applicant_a)
    url = reverse("calls:upload", kwargs={"pk": application_a.pk})
    fake = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>", "image/png")
    response = client.post(url, {"file": fake}, follow=True)
    assert "is not a PDF, DOCX, PNG or JPEG file" in response.content.decode()
    assert not Attachment.objects.exists()


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DEADLINE = dt.datetime(2018, 9, 14, 17, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    "viewer_zone", ["America/Los_Angeles", "Europe/Copenhagen", "Pacific/Auckland"]
)
@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (1, False)])
def test_deadline_through_the_page_in_the_viewer_zones(
    client, organiser, mission, org_a, viewer_zone, offset, accepted
):
    from .factories import make_applicant

    call = make_call(
        organiser, mission, opens_at=DEADLINE - dt.timedelta(days=30), closes_at=DEADLINE
    )
    user = make_applicant("zone.applicant@test.example.org", org_a, home_time_zone=viewer_zone)
    client.force_login(user)
    with time_machine.travel(DEADLINE - dt.timedelta(hours=2), tick=False):
        application = services.application_start(call=call, by=user, organization=org_a)
        page = client.get(reverse("calls:detail", kwargs={"pk": call.pk})).content.decode()
        # The call's zone first, then the reader's own.
        assert "Fri 14 Sep 17:00 EDT" in page
        local = DEADLINE.astimezone(zoneinfo.ZoneInfo(viewer_zone))
        assert f"{local:%a %d %b %H:%M}" in page
    data = {}
    for key, value in complete_answers(call).items():
        name = f"q_{key}"
        data[name] = "yes" if value is True else value
    data["submit"] = "1"
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=offset), tick=False):
        response = client.post(reverse("calls:application", kwargs={"pk": application.pk}), data)
    application.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert application.status == Application.Status.SUBMITTED
    else:
        assert response.status_code == 400
        assert "deadline has passed" in response.content.decode()
        assert application.status == Application.Status.DRAFT
        assert application.answers == {}


def test_junk_filters_give_the_page_with_a_message(client, world, organiser):
    client.force_login(organiser)
    url = reverse("calls:manage", kwargs={"pk": world["call"]})
    response = client.get(url, {"status": "nonsense", "sector": "x" * 5000, "reviewer": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Status", "Sector", "Reviewer"):
        assert f"Filter “{label}” ignored:" in page


def test_a_junk_filter_is_left_out_and_the_others_still_apply(client, world, organiser):
    client.force_login(organiser)
    url = reverse("calls:manage", kwargs={"pk": world["call"]})
    everything = client.get(url)
    submitted = client.get(url, {"status": "submitted"})
    assert 0 < len(submitted.context["applications"]) < len(everything.context["applications"])

    response = client.get(url, {"status": "submitted", "reviewer": "abc"})

    assert "Filter “Reviewer” ignored:" in response.content.decode()
    assert list(response.context["applications"]) == list(submitted.context["applications"])


def test_filters_by_state_status_and_reviewer(client, world, organiser, assigned_reviewer):
    client.force_login(organiser)
    url = reverse("calls:manage", kwargs={"pk": world["call"]})
    by_state = client.get(url, {"state": "texas"}).context["applications"]
    assert [a.organization.region for a in by_state] == ["Texas"]
    by_reviewer = client.get(url, {"reviewer": assigned_reviewer.pk}).context["applications"]
    assert [a.pk for a in by_reviewer] == [world["application"]]
    by_status = client.get(url, {"status": "under_review"}).context["applications"]
    assert [a.pk for a in by_status] == [world["application"]]
    by_sector = client.get(url, {"sector": "e-mobility"}).context["applications"]
    assert [a.organization.region for a in by_sector] == ["Texas"]


def test_csv_export_quotes_formulas(client, call, organiser, org_a, applicant_a):
    from organizations.services import organization_update

    organization_update(organization=org_a, by=organiser, name='=HYPERLINK("x")')
    from .factories import make_application

    make_application(call, applicant_a, org_a)
    client.force_login(organiser)
    response = client.get(reverse("calls:export", kwargs={"pk": call.pk}))
    body = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="call-{call.pk}.csv"'
    assert body.splitlines()[0].startswith("id,organisation,state,sectors,contact,email,status")
    assert "'=HYPERLINK" in body


SETUP_MATRIX = [
    ("edit", {"pk": "call"}),
    ("setup", {"pk": "call"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), SETUP_MATRIX + [("create", {"mission_slug": "x"})])
def test_permission_matrix_of_call_setup(client, request, world, mission, name, kwargs, role):
    values = {**world, "x": mission.slug}
    url = reverse(f"calls:{name}", kwargs={k: values[v] for k, v in kwargs.items()})
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (200 if role == "organiser" else 404)


def test_organiser_creates_a_call_with_clocks_in_the_call_zone(client, organiser, mission):
    from missions.calls.models import Call, Question

    client.force_login(organiser)
    response = client.post(
        reverse("calls:create", kwargs={"mission_slug": mission.slug}),
        {
            "title": "Call 2019",
            "description": "",
            "eligibility": "",
            "time_zone": "America/Chicago",
            "opens_at": "2019-03-01T09:00",
            "closes_at": "2019-03-31T17:00",
            "max_delegates": "12",
            "max_per_organization": "1",
            "conflict_rule": "organization",
            "reviews_per_application": "2",
            "is_published": "on",
        },
    )
    call = Call.objects.get(title="Call 2019")
    assert response["Location"] == reverse("calls:setup", kwargs={"pk": call.pk})
    assert call.closes_at == dt.datetime(2019, 3, 31, 22, 0, tzinfo=dt.UTC)  # CDT = UTC-5
    assert call.decision_templates.count() == 3
    setup = reverse("calls:setup", kwargs={"pk": call.pk})
    client.post(
        setup,
        {
            "action": "add_question",
            "question-kind": "choice",
            "question-label": "Sector",
            "question-max_length": "2000",
            "question-position": "1",
            "question-required": "on",
            "question-choices_text": "Energy\nMobility\n\n",
        },
    )
    question = Question.objects.get(call=call)
    assert question.choices == ["Energy", "Mobility"]
    client.post(
        setup,
        {
            "action": "add_criterion",
            "criterion-name": "Fit",
            "criterion-weight": "3",
            "criterion-scale_max": "5",
            "criterion-position": "1",
        },
    )
    client.post(
        setup,
        {
            "action": "add_quota",
            "quota-kind": "per_state_max",
            "quota-key": "*",
            "quota-number": "2",
        },
    )
    assert call.criteria.get().weight == 3
    assert call.quotas.get().number == 2
    client.post(setup, {"action": "delete_question", "id": str(question.pk)})
    assert not Question.objects.filter(call=call).exists()
    # Junk: an unknown action, an id of nothing, a choice question without choices.
    assert client.post(setup, {"action": "nonsense"}).status_code == 302
    assert client.post(setup, {"action": "delete_quota", "id": "abc"}).status_code == 404
    response = client.post(
        setup,
        {
            "action": "add_question",
            "question-kind": "choice",
            "question-label": "Empty",
            "question-max_length": "2000",
            "question-position": "2",
        },
        follow=True,
    )
    assert "Give at least one choice." in response.content.decode()


def test_a_question_cannot_be_removed_once_applications_are_in(client, world, organiser, call):
    client.force_login(organiser)
    question = call.questions.first()
    response = client.post(
        reverse("calls:setup", kwargs={"pk": call.pk}),
        {"action": "delete_question", "id": str(question.pk)},
        follow=True,
    )
    assert "can no longer lose a question" in response.content.decode()
    assert call.questions.filter(pk=question.pk).exists()


def test_ranking_filters_rows_but_checks_the_whole_selection(
    client, world, organiser, application_b
):
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": world["call"]})
    response = client.get(url, {"state": "Texas", "selected": [world["application"]]})
    assert [row.application.pk for row in response.context["rows"]] == [application_b.pk]
    assert response.context["chosen"] == {world["application"]}
    junk = client.get(url, {"status": "nonsense"})
    assert junk.status_code == 200
    assert len(junk.context["rows"]) == 2


def test_call_list_shows_my_applications(client, world, applicant_a, applicant_b):
    client.force_login(applicant_a)
    mine = client.get(reverse("calls:list")).context["my_applications"]
    assert [a.pk for a in mine] == [world["application"]]


def test_round_robin_replaces_a_reviewer_who_declared_a_conflict(
    call, application_a, organiser, assigned_reviewer, unassigned_reviewer
):
    call.reviews_per_application = 1
    call.save()
    first = services.reviewer_assign(
        application=application_a, reviewer=assigned_reviewer, by=organiser
    )
    services.conflict_declare(assignment=first, by=assigned_reviewer, reason="Board member.")
    created = services.reviewers_assign_round_robin(
        call=call, by=organiser, reviewers=[assigned_reviewer, unassigned_reviewer]
    )
    assert [a.reviewer for a in created] == [unassigned_reviewer]


def test_junk_decisions_and_scores_are_refused_with_the_page(
    client, world, organiser, assigned_reviewer, call
):
    client.force_login(organiser)
    decisions = reverse("calls:decisions", kwargs={"pk": call.pk})
    pk = world["application"]
    for data in (
        {"action": "prepare", f"d_{pk}": "promoted"},
        {"action": "prepare", f"d_{pk}": "waitlisted", f"w_{pk}": "-3"},
        {"action": "prepare", f"d_{pk}": "waitlisted", f"w_{pk}": "x" * 5000},
    ):
        assert client.post(decisions, data).status_code == 400
    assert not Application.objects.exclude(decision_pending="").exists()
    client.force_login(assigned_reviewer)
    review = reverse("calls:review", kwargs={"pk": world["assignment"]})
    criteria = list(call.criteria.all())
    for fit in ("6", "-1", "abc", "9" * 50):
        response = client.post(review, {f"c_{criteria[0].pk}": fit, f"c_{criteria[1].pk}": "3"})
        assert response.status_code == 400
    from missions.calls import selectors

    assert not selectors.ranking(call)[0].reviews
