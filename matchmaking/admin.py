"""Read-only admin for matchmaking: every change goes through ``matchmaking.services`` so that
limits, locks and emails hold; the admin is for looking, not for editing."""

from django.contrib import admin

from .models import Meeting, MeetingRequest, Participant, ScheduleRun, Session


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "phase", "time_zone", "meeting_minutes", "is_public", "created_at"]
    list_filter = ["phase", "is_public"]
    search_fields = ["title", "slug"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "side", "attendees", "is_visible", "session"]
    list_filter = ["side", "is_visible"]
    search_fields = ["user__email", "user__full_name", "organization__name", "session__title"]
    list_select_related = ["user", "organization", "session"]
    # The agenda feed token is a secret: not shown.
    exclude = ["agenda_token"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["sender", "receiver", "kind", "status", "created_at", "session"]
    list_filter = ["status", "kind"]
    list_select_related = [
        "sender__user",
        "sender__organization",
        "receiver__user",
        "receiver__organization",
        "session",
    ]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["request", "slot", "table", "status", "is_locked", "session"]
    list_filter = ["status", "is_locked"]
    list_select_related = [
        "request__sender__user",
        "request__sender__organization",
        "request__receiver__user",
        "request__receiver__organization",
        "slot",
        "table",
        "session",
    ]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "weight", "bound", "ratio", "created_at"]
    list_filter = ["status"]
