"""Read-only admin for missions: every change goes through ``missions.services`` so that it
is validated, logged and notified; the admin is for looking, not for editing."""

from django.contrib import admin

from .models import ChangeLogEntry, DelegationMember, ItineraryItem, Mission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "direction", "start_date", "end_date"]
    list_filter = ["status", "direction"]
    search_fields = ["title", "slug"]


@admin.register(ItineraryItem)
class ItineraryItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "time_zone", "visit_status", "day"]
    list_filter = ["kind", "visit_status"]
    search_fields = ["title", "city", "day__mission__title"]
    list_select_related = ["day__mission"]


@admin.register(DelegationMember)
class DelegationMemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "role", "home_time_zone", "delegation"]
    list_select_related = ["user", "organization", "delegation__mission"]
    exclude = ["feed_token_hash"]


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "mission", "action", "summary", "notify", "notified_at"]
    list_filter = ["action", "notify"]
    list_select_related = ["mission"]
