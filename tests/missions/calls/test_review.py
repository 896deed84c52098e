"""Reviewers: assignment by hand and round-robin, conflicts, scores, ranking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from missions.calls import selectors, services
from missions.calls.models import Application, Call, ReviewAssignment
from organizations.models import Membership, Role
from organizations.services import membership_add

from ...factories import make_user
from .factories import make_applicant, make_application, make_us_org, score_all


def test_assigning_moves_the_application_under_review(assignment_a, application_a):
    application_a.refresh_from_db()
    assert application_a.status == Application.Status.UNDER_REVIEW
    assert application_a.status_changes.last().to_status == "under_review"


def test_reviewer_of_the_same_organization_is_refused(application_a, org_a, organiser):
    colleague = make_user(roles=(Role.REVIEWER,))
    membership_add(organization=org_a, user=colleague, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError, match="applicant's organisation"):
        services.reviewer_assign(application=application_a, reviewer=colleague, by=organiser)


def test_same_state_conflict_follows_the_call_rule(call, application_a, organiser):
    neighbour = make_user(roles=(Role.REVIEWER,))
    membership_add(organization=make_us_org("Denver University Lab", "Colorado"), user=neighbour)
    with pytest.raises(ValidationError, match="same state"):
        services.reviewer_assign(application=application_a, reviewer=neighbour, by=organiser)
    services.call_update(call=call, by=organiser, conflict_rule=Call.ConflictRule.ORGANIZATION)
    application_a.refresh_from_db()
    assert services.reviewer_assign(application=application_a, reviewer=neighbour, by=organiser)


def test_only_reviewers_are_assigned(application_a, organiser, applicant_b):
    with pytest.raises(ValidationError, match="not a reviewer"):
        services.reviewer_assign(application=application_a, reviewer=applicant_b, by=organiser)


def test_only_organisers_assign(application_a, assigned_reviewer, applicant_a):
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(
            application=application_a, reviewer=assigned_reviewer, by=applicant_a
        )


def test_round_robin_is_balanced_and_skips_conflicts(call, organiser):
    organizations = [
        make_us_org(f"Org {state}", state) for state in ("Ohio", "Texas", "Ohio", "Maryland")
    ]
    for number, organization in enumerate(organizations):
        make_application(
            call, make_applicant(f"rr{number}@test.example.org", organization), organization
        )
    reviewers = [make_user(roles=(Role.REVIEWER,)) for _ in range(3)]
    # The first reviewer is from Ohio: never given the two Ohio applications.
    membership_add(organization=make_us_org("Ohio Reviewers", "Ohio"), user=reviewers[0])
    created = services.reviewers_assign_round_robin(call=call, by=organiser, reviewers=reviewers)
    assert len(created) == 8  # two reviewers for each of four applications
    loads = sorted(ReviewAssignment.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads[-1] - loads[0] <= 1
    ohio = ReviewAssignment.objects.filter(
        reviewer=reviewers[0], application__organization__region="Ohio"
    )
    assert not ohio.exists()
    # Running it again adds nobody: each application already has its two reviewers.
    assert services.reviewers_assign_round_robin(call=call, by=organiser, reviewers=reviewers) == []


def test_scores_must_cover_every_criterion_within_its_scale(assignment_a, assigned_reviewer):
    criteria = {c.name: c for c in assignment_a.application.call.criteria.all()}
    for scores in (
        {criteria["Fit"].pk: (6, "")},  # over the 0–5 scale, Impact missing
        {criteria["Fit"].pk: (3, ""), criteria["Impact"].pk: (-1, "")},
        {criteria["Fit"].pk: ("3", ""), criteria["Impact"].pk: (3, "")},
        {criteria["Fit"].pk: (3, ""), criteria["Impact"].pk: (3, ""), 999999: (1, "")},
    ):
        with pytest.raises(ValidationError):
            services.scores_submit(assignment=assignment_a, by=assigned_reviewer, scores=scores)
    assignment_a.refresh_from_db()
    assert assignment_a.submitted_at is None
    assert not assignment_a.scores.exists()


def test_only_the_assigned_reviewer_scores(assignment_a, unassigned_reviewer):
    with pytest.raises(PermissionDenied):
        score_all(assignment_a, unassigned_reviewer, 3, 3)


def test_declared_conflict_drops_the_scores(assignment_a, assigned_reviewer):
    score_all(assignment_a, assigned_reviewer, 5, 10)
    services.conflict_declare(
        assignment=assignment_a, by=assigned_reviewer, reason="Former employer."
    )
    assignment_a.refresh_from_db()
    assert assignment_a.conflict_declared
    assert not assignment_a.scores.exists()
    with pytest.raises(ValidationError, match="conflict"):
        score_all(assignment_a, assigned_reviewer, 5, 10)
    assert selectors.ranking(assignment_a.application.call)[0].reviews == 0


def test_other_reviews_hidden_until_own_submitted(
    application_a, assigned_reviewer, unassigned_reviewer, organiser
):
    first = services.reviewer_assign(
        application=application_a, reviewer=assigned_reviewer, by=organiser
    )
    second = services.reviewer_assign(
        application=application_a, reviewer=unassigned_reviewer, by=organiser
    )
    score_all(first, assigned_reviewer, 4, 8)
    assert selectors.other_reviews_visible(second) == []
    score_all(second, unassigned_reviewer, 2, 2)
    second.refresh_from_db()
    assert [a.pk for a in selectors.other_reviews_visible(second)] == [first.pk]


def test_ranking_weighted_mean_and_spread(
    call, application_a, application_b, assigned_reviewer, unassigned_reviewer, organiser
):
    # Fit weighs 2 (scale 5), Impact weighs 1 (scale 10).
    for reviewer, fit, impact in ((assigned_reviewer, 5, 10), (unassigned_reviewer, 3, 4)):
        assignment = services.reviewer_assign(
            application=application_a, reviewer=reviewer, by=organiser
        )
        score_all(assignment, reviewer, fit, impact)
    assignment = services.reviewer_assign(
        application=application_b, reviewer=assigned_reviewer, by=organiser
    )
    score_all(assignment, assigned_reviewer, 5, 0)
    rows = selectors.ranking(call)
    assert [r.application.pk for r in rows] == [application_a.pk, application_b.pk]
    top = rows[0]
    # Reviewer totals: 100 and 100*(2*0.6+0.4)/3 = 53.33; fit mean 0.8, impact mean 0.7.
    assert top.weighted == pytest.approx(100 * (2 * 0.8 + 0.7) / 3)
    assert top.mean == pytest.approx(100 * (1 + 1 + 0.6 + 0.4) / 4)
    assert top.spread == pytest.approx((100 - 100 * 1.6 / 3) / 2)
    assert top.reviews == 2
    assert rows[1].weighted == pytest.approx(100 * 2 / 3)
    assert rows[1].spread == 0


def test_ranking_ties_equal_scores_exactly_and_orders_them_by_id(
    call, application_a, application_b, assigned_reviewer, organiser
):
    # Fit weighs 2 (scale 5), Impact 1 (scale 10): (2×0/5 + 6/10) / 3 = (2×1/5 + 2/10) / 3,
    # both 20 out of 100. Summed as floats the second was 20.000000000000004 and came first.
    for application, fit, impact in ((application_a, 0, 6), (application_b, 1, 2)):
        assignment = services.reviewer_assign(
            application=application, reviewer=assigned_reviewer, by=organiser
        )
        score_all(assignment, assigned_reviewer, fit, impact)

    rows = selectors.ranking(call)

    assert application_a.pk < application_b.pk
    assert [r.application.pk for r in rows] == [application_a.pk, application_b.pk]
    assert rows[0].weighted == rows[1].weighted == 20
    # The plain mean: (0/5 + 6/10) / 2 and (1/5 + 2/10) / 2.
    assert (rows[0].mean, rows[1].mean) == (30, 20)
