"""Status badges: every status value of every model maps to a tone (a colour) in one place.

A badge always carries the status's label as text; the tone only adds colour. Values are
shared across models (``cancelled`` is ``muted`` wherever it appears), so a new model with the
usual words needs nothing here; tests/test_status_badges.py fails when a value has no tone.
"""

NEUTRAL = "neutral"
INFO = "info"
PROGRESS = "progress"
SUCCESS = "success"
WARNING = "warning"
DANGER = "danger"
MUTED = "muted"

TONES = (NEUTRAL, INFO, PROGRESS, SUCCESS, WARNING, DANGER, MUTED)

STATUS_TONES = {
    # Not yet shown to anyone / waiting for someone.
    "draft": NEUTRAL,
    "pending": WARNING,
    "proposed": NEUTRAL,
    "queued": NEUTRAL,
    "reported": WARNING,
    "planned": NEUTRAL,
    # Open, moving forward.
    "published": INFO,
    "submitted": INFO,
    "under_review": PROGRESS,
    "shortlisted": PROGRESS,
    "profiles_open": INFO,
    "requests_open": INFO,
    "scheduling": PROGRESS,
    "running": PROGRESS,
    "offered": PROGRESS,
    "waitlisted": WARNING,
    # Done, good.
    "completed": SUCCESS,
    "confirmed": SUCCESS,
    "selected": SUCCESS,
    "approved": SUCCESS,
    "accepted": SUCCESS,
    "scheduled": SUCCESS,
    "held": SUCCESS,
    "done": SUCCESS,
    "validated": SUCCESS,
    "verified": SUCCESS,
    "agendas_published": SUCCESS,
    "outcomes": SUCCESS,
    # Refused, failed.
    "rejected": DANGER,
    "declined": DANGER,
    "failed": DANGER,
    "no_show": DANGER,
    # Gone.
    "cancelled": MUTED,
    "withdrawn": MUTED,
    "expired": MUTED,
    "archived": MUTED,
}


def status_tone(value):
    """The badge tone of a status value; ``neutral`` for a value nobody mapped yet."""
    return STATUS_TONES.get(str(value), NEUTRAL)
