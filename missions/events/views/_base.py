"""How an events page finds its event: among those the reader may see."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Event


class EventScope:
    """The event named by the URL's slug, among those the reader may see; put before
    ``PermissionView``, ``FormServiceView`` or ``ActionView``. The default permission is the
    organisers': someone else's event is a 404."""

    permission_required = "missions.manage_event"

    def get_object(self) -> Event:
        return get_object_or_404(
            selectors.events_visible_to(self.request.user), slug=self.kwargs["slug"]
        )

    @property
    def event(self) -> Event:
        return self.object

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(event=self.object, **context)
