"""Test settings: the base settings with a fast password hasher and a captured outbox."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Most tests sign up and reset passwords many times from one address: only the login limit
# stays, as in production (tests/security/test_login_limits.py holds it).
ACCOUNT_RATE_LIMITS = {"login_failed": ACCOUNT_RATE_LIMITS["login_failed"]}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
