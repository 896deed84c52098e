"""The lists follow the rules: "is an organiser" is the one predicate of
``organizations.permissions`` (``is_organiser``), and the selectors of organisations and
missions scope by it, so a list never shows what the permission refuses, or the reverse."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from missions.models import Mission
from missions.selectors import missions_editable_by
from organizations.models import Organization, Role
from organizations.permissions import is_organiser
from organizations.selectors import (
    organizations_editable_by,
    organizations_visible_to,
    people_searchable_by,
)
from tests.factories import make_organization, make_user
from tests.missions.factories import make_mission


@pytest.fixture
def people(db):
    admin = make_user("admin@test.example.org")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    return {
        "anonymous": AnonymousUser(),
        "member": make_user("member@test.example.org"),
        "staff": make_user("staff@test.example.org", roles=(Role.STAFF,)),
        "organiser": make_user("organiser@test.example.org", roles=(Role.ORGANISER,)),
        "admin": admin,
    }


def test_organisation_lists_follow_the_organiser_predicate(people):
    make_organization("Validated cluster")
    make_organization("Pending cluster", validated=False)
    everything = Organization.objects.count()

    for name, user in people.items():
        organiser = bool(is_organiser(user))
        assert organiser == (name in ("organiser", "admin")), name
        assert (organizations_visible_to(user).count() == everything) == organiser, name
        assert (organizations_editable_by(user).count() == everything) == organiser, name
        assert people_searchable_by(user).exists() == organiser, name


def test_missions_editable_only_by_an_organiser_named_on_them(people):
    mission = make_mission(people["organiser"])
    named_without_role = people["staff"]
    Mission.organisers.through.objects.create(mission=mission, user=named_without_role)

    editable = {name: missions_editable_by(user).count() for name, user in people.items()}

    # Named on the mission but without the organiser role: not an organiser of it.
    assert editable == {"anonymous": 0, "member": 0, "staff": 0, "organiser": 1, "admin": 1}
    assert people["admin"].has_perm("missions.plan_mission", mission)
    assert not named_without_role.has_perm("missions.plan_mission", mission)
