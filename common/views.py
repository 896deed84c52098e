"""The one way a view is written here.

Every view declares who may use it and finds its object in the reader's scope:

- ``PermissionView``: ``login_required`` (default true) sends anonymous readers to log in;
  ``get_object()`` loads the object through a scoped selector (``get_object_or_404`` on a
  queryset of what the reader may see); ``permission_required`` is then checked on that
  object. An object outside the reader's scope, or one the permission refuses, is a 404,
  never a 403, so a probe learns nothing. A permission without an object (``add_…``) that
  is refused is a 403.
- ``FormServiceView``: find the object → validate a form → call one service in
  ``form_valid`` → message and redirect, or render the form again with the errors (400).
  A ``ValidationError`` from the service lands on the form's fields or as a
  non-field error.

- ``ActionView``: a POST-only action (accept, cancel, publish) on the object: one service,
  then a message and a redirect. A GET of it answers 405 once the permission has passed.

Views of one app share small *scope* classes (``ManagedCallScope``, ``EventScope``…) that only
declare ``permission_required`` and ``get_object`` (the scoped selector); none overrides
``dispatch``. ``get_permission_object`` names what the rule is checked on when that is not
the object itself (an attachment's application). ``editable_copy`` gives a ``ModelForm`` a
fresh copy to validate into, so a refused change leaves the object the service gets as it
was.

``viewer_zone`` is the reader's home time zone, shown beside the venue's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views import View


def viewer_zone(request: HttpRequest, member: Any = None) -> str | None:
    """The zone the reader lives in: their delegation entry's if given, else their profile's."""
    if member is not None and getattr(member, "home_time_zone", None):
        return member.home_time_zone
    if request.user.is_authenticated:
        return request.user.home_time_zone
    return None


def error_messages(error: ValidationError | Exception) -> list[str]:
    """The human sentences inside a ``ValidationError`` (or any exception)."""
    return list(getattr(error, "messages", [str(error)]))


def messages_from_error(request: HttpRequest, error: ValidationError) -> None:
    """Show each sentence of ``error`` as an error message on the next page."""
    for text in error_messages(error):
        messages.error(request, text)


def add_error_to_form(form: Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its fields where the form has
    them, as a non-field error otherwise."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def editable_copy(obj: Any) -> Any:
    """A fresh copy of ``obj`` for a ``ModelForm`` to validate into, so that a refused change
    leaves ``obj`` (which the service then receives) untouched."""
    return obj._meta.model._default_manager.get(pk=obj.pk)


class PermissionView(View):
    """A view that states who may use it. See the module docstring for the policy."""

    login_required: bool = True
    permission_required: str | None = None
    object: Any = None

    def get_object(self) -> Any:
        """The object the permission is checked on, from a scoped selector; None if none."""
        return None

    def get_permission_object(self) -> Any:
        """What ``permission_required`` is checked on: the object, unless the rule is about
        something it belongs to (an attachment's application)."""
        return self.object

    def has_permission(self) -> bool:
        if not self.permission_required:
            return True
        return self.request.user.has_perm(self.permission_required, self.get_permission_object())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.object = self.get_object()
        if not self.has_permission():
            if self.object is not None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FormServiceView(PermissionView):
    """Validate a form, call one service, then message and redirect (or show the errors)."""

    form_class: type[Form] | None = None
    template_name: str = ""
    success_message: str = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data=None, files=None) -> Form:
        assert self.form_class is not None, f"{type(self).__name__} needs a form_class"
        return self.form_class(data, files, **self.get_form_kwargs())

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context.setdefault("object", self.object)
        return context

    def render_form(self, form: Form, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, self.get_context_data(form=form), status=status
        )

    def form_valid(self, form: Form) -> Any:
        """Call the one service this view exists for; return what it made (or None)."""
        raise NotImplementedError

    def get_success_url(self, result: Any) -> str:
        if result is not None and hasattr(result, "get_absolute_url"):
            return result.get_absolute_url()
        return self.request.get_full_path()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            result = self.form_valid(form)
        except ValidationError as error:
            add_error_to_form(form, error)
            return self.render_form(form, status=400)
        if isinstance(result, HttpResponse):
            return result
        if self.success_message:
            messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url(result))


class ActionView(PermissionView):
    """A POST-only action on one object (accept, cancel, publish): call one service, then
    message and redirect back. A ``ValidationError`` becomes error messages."""

    http_method_names = ["post"]
    success_message: str = ""

    def perform(self) -> Any:
        raise NotImplementedError

    def get_success_url(self, result: Any) -> str:
        target = self.object if result is None else result
        if hasattr(target, "get_absolute_url"):
            return target.get_absolute_url()
        return "/"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            result = self.perform()
        except ValidationError as error:
            messages_from_error(request, error)
            return redirect(self.get_success_url(None))
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(self.get_success_url(result))


class ConfirmedActionView(ActionView):
    """An action that asks first, on a page of its own (no JavaScript): a GET of it shows
    what will happen (``confirm_lines``) with one button that POSTs back here; the POST does
    it, as an ``ActionView``. Pages link to the action (a GET); only the confirmation page's
    button sends the POST. A GET never changes anything."""

    http_method_names = ["get", "post"]
    confirm_template = "includes/confirm.html"
    confirm_title: str = ""
    confirm_button: str = ""

    def confirm_lines(self) -> list[str]:
        """What will happen, sentence by sentence."""
        return []

    def get_cancel_url(self) -> str:
        return self.get_success_url(None)

    def confirm_breadcrumbs(self) -> list[tuple[str, str]]:
        """Where the page sits: up to three (url, label) parents, nearest last."""
        return []

    def get_confirm_context(self) -> dict[str, Any]:
        return {
            "crumbs": self.confirm_breadcrumbs(),
            "object": self.object,
            "title": self.confirm_title,
            "lines": self.confirm_lines(),
            "button": self.confirm_button,
            "cancel_url": self.get_cancel_url(),
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.confirm_template, self.get_confirm_context())
