"""What the matchmaking views share: the session in the reader's scope, their profile."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .. import selectors
from ..models import Participant, Session


class SessionScoped:
    """Loads ``self.session`` by slug among the sessions the reader may see (else 404)
    and ``self.me``, the reader's own profile in it (or None)."""

    session: Session
    me: Participant | None = None

    def load_session(self) -> Session:
        self.session = get_object_or_404(
            selectors.sessions_visible_to(self.request.user), slug=self.kwargs["slug"]
        )
        self.me = selectors.participant_of(self.request.user, self.session)
        return self.session

    def session_context(self) -> dict:
        user = self.request.user
        return {
            "session": self.session,
            "me": self.me,
            "is_organiser": user.has_perm("matchmaking.manage_session", self.session),
        }
