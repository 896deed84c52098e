"""allauth hooks: the rules allauth does not know about our user model."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from .models import User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Refuse addresses longer than the column holds, before anything is written."""
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("An email address has at most %(limit)d characters.")
                % {"limit": EMAIL_MAX_LENGTH}
            )
        return email.lower()
