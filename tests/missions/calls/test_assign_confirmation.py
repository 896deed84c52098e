"""Bulk-assigning reviewers asks first, on a page of its own: a GET says how many assignments
will be made and changes nothing; the POST makes them, once."""

from __future__ import annotations

from django.urls import reverse

from missions.calls.models import ReviewAssignment
from organizations.models import Role

from ...factories import make_user


def test_assign_get_says_what_will_happen_and_changes_nothing(
    client, call, organiser, application_a, application_b, assigned_reviewer, unassigned_reviewer
):
    call.reviews_per_application = 1
    call.save()
    client.force_login(organiser)
    url = reverse("calls:assign", kwargs={"pk": call.pk})
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Assign reviewers to every application in review?" in page
    assert "2 applications in review lack reviewers: up to 2 review assignments will be made" in (
        page
    )
    assert "shared among the 2 reviewers, the least busy first" in page
    assert f'action="{url}"' in page
    assert not ReviewAssignment.objects.exists()
    # The applications page links to the confirmation (a GET), it does not post.
    listing = client.get(reverse("calls:manage", kwargs={"pk": call.pk})).content.decode()
    assert f'href="{url}"' in listing
    assert f'action="{url}"' not in listing


def test_assign_post_assigns_once(
    client, call, organiser, application_a, application_b, assigned_reviewer, unassigned_reviewer
):
    call.reviews_per_application = 1
    call.save()
    client.force_login(organiser)
    url = reverse("calls:assign", kwargs={"pk": call.pk})
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("calls:manage", kwargs={"pk": call.pk})
    pairs = sorted(ReviewAssignment.objects.values_list("application_id", "reviewer_id"))
    assert pairs == sorted(
        [(application_a.pk, assigned_reviewer.pk), (application_b.pk, unassigned_reviewer.pk)]
    )
    client.post(url)
    assert ReviewAssignment.objects.count() == 2
    page = client.get(url).content.decode()
    assert "Every application in review already has its 1 reviewer: nothing will change." in page


def test_assign_confirmation_permissions(client, call, organiser, application_a):
    url = reverse("calls:assign", kwargs={"pk": call.pk})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,)))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not ReviewAssignment.objects.exists()
    client.force_login(organiser)
    assert client.get(url).status_code == 200
