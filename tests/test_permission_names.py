"""Our rules permissions must not share a name with Django's model permissions.

``ModelBackend`` stays active (the admin needs it), and it answers ``has_perm`` for the
auto codenames ``add_/change_/delete_/view_<model>`` and for ``Meta.permissions`` without
looking at the object. A rule named like one of them would be granted to anyone holding
the model permission (a staff member given it in the admin), for every object at once.
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.contrib.auth.management import _get_all_permissions


def _model_permission_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        for codename, _name in _get_all_permissions(model._meta):
            names.add(f"{model._meta.app_label}.{codename}")
    return names


def test_rules_permissions_collide_with_no_model_permission():
    ours = set(rules.permissions.permissions)
    assert ours, "the rules permission set is empty: permissions.py modules were not loaded"
    assert ours & _model_permission_names() == set()


def test_model_permission_names_include_the_auto_codenames():
    # The check above is only as good as this list: it must hold Django's own codenames.
    names = _model_permission_names()
    assert {
        "missions.view_mission",
        "missions.add_event",
        "organizations.change_organization",
    } <= names
