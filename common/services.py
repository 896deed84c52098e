"""What services share: the permission check they start with."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_permission(user, permission: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``permission`` (on ``obj``).

    Services check again what their views checked, so a task, a command or the admin
    calling them gets the same answer.
    """
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You may not do this."))
