"""Template helpers of the design system (static/css/site.css): status badge tones."""

from django import template

from common.badges import status_tone

register = template.Library()


@register.filter
def badge_tone(value):
    """``{{ obj.status|badge_tone }}`` → ``success``, ``danger``… (see common/badges.py)."""
    return status_tone(value)
