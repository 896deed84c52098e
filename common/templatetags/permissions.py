"""Ask the portal's permissions (the django-rules set) from a template without a query.

``{% load permissions %}{% if user|may:"programmes.verify_outcome" %}…{% endif %}``

``perms.app.name`` goes through every authentication backend: when the rules say no, Django's
``ModelBackend`` then reads the user's and groups' model permissions (2 queries). Our
permissions are all rules, so templates ask only them (without an object).
"""

from __future__ import annotations

import rules
from django import template

register = template.Library()


@register.filter
def may(user, permission: str) -> bool:
    """Whether ``user`` holds the django-rules ``permission`` (no object)."""
    if user is None:
        return False
    return rules.has_perm(permission, user)
