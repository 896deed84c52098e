"""Feedback surveys: one email per person whatever the number of runs, answers replaced on
a second submission (as the page says), comments quoted only with consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from missions.models import DelegationMember, ItineraryItem
from organizations.models import Role
from reports.models import SurveyInvitation, SurveyQuestion, SurveyResponse
from reports.services import gather
from reports.services.surveys import (
    survey_for,
    survey_invite,
    survey_response_submit,
    surveys_send_due,
)
from reports.tasks import task_survey_invitation_send, task_surveys_send

from ..conftest import outbox_cleared, wait_for
from ..factories import make_user
from ..missions.events.factories import make_event, make_member, register
from .factories import make_report_mission

pytestmark = pytest.mark.django_db


def ended_mission(organiser, *, delegates=2, days_ago=1):
    start = (timezone.now() - dt.timedelta(days=days_ago)).date()
    mission = make_report_mission(organiser, delegates=delegates, start=start.isoformat())
    from missions.services import mission_publish

    mission_publish(mission=mission, by=organiser)
    host = ItineraryItem.objects.get(day__mission=mission).hosts.get()
    host_contact = make_member(host, full_name="Hanne Host")
    return mission, host_contact


def send_pending() -> None:
    """Run the email task of every invitation not yet sent, here (as the worker would)."""
    for invitation in SurveyInvitation.objects.filter(sent_at=None):
        task_survey_invitation_send.apply(kwargs={"invitation_id": invitation.pk})


def test_invitations_are_emailed_once_whatever_the_number_of_runs(
    task_worker, organiser, mailoutbox
):
    """With REDIS_URL the real worker sends them; without, they run in-process."""
    mission, host_contact = ended_mission(organiser, delegates=2)
    delegates = [m.user for m in DelegationMember.objects.filter(delegation__mission=mission)]
    expected = sorted([host_contact.email] + [d.email for d in delegates])

    for _run in range(3):
        task_surveys_send.apply()
    assert wait_for(lambda: not SurveyInvitation.objects.filter(sent_at=None).exists())
    task_surveys_send.apply()  # and once more after everything went out

    def survey_emails():
        return [m for m in mailoutbox if m.subject.startswith("Your feedback on")]

    assert wait_for(lambda: len(survey_emails()) >= 3)
    assert sorted(message.to[0] for message in survey_emails()) == expected
    invitations = SurveyInvitation.objects.filter(survey__mission=mission)
    assert {i.role for i in invitations if i.user == host_contact} == {"host"}
    token = invitations.get(user=host_contact).token
    (host_email,) = [m for m in survey_emails() if m.to == [host_contact.email]]
    assert f"/reports/surveys/answer/{token}/" in host_email.body
    assert host_email.subject == f"Your feedback on {mission.title}"


def test_an_invitation_sent_twice_emails_once(organiser, mailoutbox):
    mission, _host = ended_mission(organiser, delegates=1)
    survey = survey_for(mission)
    survey_invite(survey=survey)
    survey_invite(survey=survey)  # a second run finds the same invitations

    send_pending()
    for invitation in SurveyInvitation.objects.all():  # the task delivered twice
        task_survey_invitation_send.apply(kwargs={"invitation_id": invitation.pk})

    assert SurveyInvitation.objects.count() == 2
    assert len(mailoutbox) == 2  # one delegate, one host contact: once each


def test_missions_long_over_or_not_over_are_not_surveyed(organiser):
    ended_mission(organiser, days_ago=400)
    make_report_mission(organiser, start=(timezone.now() + dt.timedelta(days=5)).date().isoformat())

    assert surveys_send_due() == 0
    assert SurveyInvitation.objects.count() == 0


def test_event_attendees_are_invited(organiser, organization):
    start = timezone.now() - dt.timedelta(days=2)
    event = make_event(organiser, capacity=3)
    attendee = make_member(organization)
    register(event, attendee, organization)
    # The event took place two days ago.
    type(event).objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=4)
    )
    outbox_cleared()

    surveys_send_due()
    send_pending()

    assert [m.to for m in mail.outbox] == [[attendee.email]]
    assert SurveyInvitation.objects.get().role == SurveyInvitation.Role.ATTENDEE


@pytest.fixture
def invitation(organiser):
    mission, _host = ended_mission(organiser, delegates=1)
    survey = survey_for(mission)
    survey_invite(survey=survey)
    return SurveyInvitation.objects.get(survey=survey, role="delegate")


def answer(client, url, **fields):
    data = {
        "overall_rating": "4",
        "contacts_made": "3",
        "collaborations_planned": "1",
        "comments": "",
    }
    data.update(fields)
    return client.post(url, data, follow=True)


def test_a_second_submission_replaces_the_first_as_the_page_says(client, invitation):
    url = reverse("reports:survey_answer", args=[invitation.token])
    first_page = client.get(url).content.decode()
    assert "your new answers then replace the earlier ones" in first_page

    answer(client, url, overall_rating="2", comments="First thoughts.")
    page = client.get(url).content.decode()
    assert "Sending this form again replaces your earlier answers" in page
    response = answer(client, url, overall_rating="5", comments="Second thoughts.")

    assert "Your new answers replace the ones you sent before." in response.content.decode()
    saved = SurveyResponse.objects.get()
    assert (saved.overall_rating, saved.comments, saved.times_replaced) == (
        5,
        "Second thoughts.",
        1,
    )
    assert saved.role == "delegate"


def test_bad_answers_are_refused_and_change_nothing(client, invitation):
    url = reverse("reports:survey_answer", args=[invitation.token])

    response = answer(client, url, overall_rating="9", contacts_made="-4", comments="x" * 5001)

    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0


def test_unknown_token_is_404_and_the_logged_in_page_needs_an_invitation(client, invitation):
    assert client.get(reverse("reports:survey_answer", args=["nope"])).status_code == 404
    assert client.get(reverse("reports:survey_answer", args=["x" * 65])).status_code == 404
    mine = reverse("reports:survey_answer_mine", args=[invitation.survey.pk])
    assert client.get(mine).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(mine).status_code == 404
    client.force_login(invitation.user)
    assert client.get(mine).status_code == 200


def test_usefulness_of_each_visit_is_asked_and_aggregated(client, invitation):
    item = ItineraryItem.objects.get(day__mission=invitation.survey.mission)
    url = reverse("reports:survey_answer", args=[invitation.token])

    answer(client, url, **{f"usefulness_{item.pk}": "5"})

    data = gather.mission_report_data(invitation.survey.mission)
    [(label, mean, count)] = data["survey"]["usefulness"]
    assert label.startswith(item.title)
    assert (mean, count) == (5.0, 1)


def test_free_text_is_quoted_only_with_consent(organiser, invitation):
    mission = invitation.survey.mission
    other = DelegationMember.objects.get(delegation__mission=mission).user
    survey_response_submit(
        survey=invitation.survey,
        by=other,
        answers={"overall_rating": 5, "comments": "Private remark.", "consent_to_quote": False},
    )
    host = make_user()
    survey_response_submit(
        survey=invitation.survey,
        by=host,
        answers={"overall_rating": 4, "comments": "Quote me.", "consent_to_quote": True},
    )

    data = gather.mission_report_data(mission)
    from reports.services.jobs import document_html

    html = document_html("mission_report", data, mission)
    assert [q["text"] for q in data["survey"]["quotes"]] == ["Quote me."]
    assert "Private remark." not in html
    assert "Quote me." in html
    assert data["survey"]["rating_mean"] == 4.5


def test_organiser_adds_a_question_that_the_form_then_asks(client, organiser, invitation):
    mission = invitation.survey.mission
    url = reverse("reports:survey_question_add", args=["mission", mission.pk])
    stranger = make_user(roles=(Role.ORGANISER,))
    client.force_login(stranger)
    assert client.post(url, {"label": "Would you come again?", "kind": "rating"}).status_code == 404
    client.force_login(organiser)
    assert client.post(url, {"label": "", "kind": "rating"}).status_code == 400

    response = client.post(url, {"label": "Would you come again?", "kind": "rating"})

    assert response.status_code == 302
    question = SurveyQuestion.objects.get()
    client.logout()
    form = client.get(reverse("reports:survey_answer", args=[invitation.token])).content.decode()
    assert "Would you come again?" in form
    answer(
        client,
        reverse("reports:survey_answer", args=[invitation.token]),
        **{f"question_{question.pk}": "4"},
    )
    results = gather.mission_report_data(mission)["survey"]["questions"]
    assert results == [
        {"label": "Would you come again?", "kind": "rating", "mean": 4.0, "answers": 1}
    ]


def test_results_page_shows_every_comment_to_the_organisers_only(client, organiser, invitation):
    survey_response_submit(
        survey=invitation.survey,
        by=invitation.user,
        answers={"overall_rating": 3, "comments": "Not for quoting.", "consent_to_quote": False},
    )
    url = reverse("reports:survey_results", args=["mission", invitation.survey.mission.pk])
    client.force_login(invitation.user)
    assert client.get(url).status_code == 404
    client.force_login(organiser)

    page = client.get(url).content.decode()

    assert "Not for quoting." in page
    assert "not to be quoted" in page
