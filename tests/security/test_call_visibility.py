"""Unpublished calls are visible to those who may manage them, site admins included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Role
from tests.missions.calls.factories import (
    make_call,
)

from ..factories import PASSWORD, make_user


@pytest.fixture
def site_admin(db):
    return make_user("admin@test.example.org", roles=(Role.SITE_ADMIN,))


def test_unpublished_call_is_visible_to_a_site_admin_who_may_manage_it(
    client, organiser, mission, site_admin
):
    call = make_call(organiser, mission, is_published=False, with_form=False)
    client.login(email=site_admin.email, password=PASSWORD)
    manage = client.get(reverse("calls:manage", args=[call.pk]))
    detail = client.get(reverse("calls:detail", args=[call.pk]))
    listing = client.get(reverse("calls:list"))
    assert (manage.status_code, detail.status_code) == (200, 200)
    assert call in listing.context["calls"]


def test_unpublished_call_stays_hidden_from_an_applicant(client, organiser, mission, applicant):
    call = make_call(organiser, mission, is_published=False, with_form=False)
    client.login(email=applicant.email, password=PASSWORD)
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404
