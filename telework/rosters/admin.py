"""Read-mostly admin for rosters: the screens and services are where rosters change (they validate and audit)."""

from __future__ import annotations

from django.contrib import admin

from telework.rosters.models import Leave, LeaveRequest, Roster, RosterRun, SwapRequest, UnitEvent


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("unit", "iso_week", "version", "status", "is_current", "created_at", "published_at")
    list_filter = ("status", "is_current", "iso_week")
    search_fields = ("unit__name", "unit__code", "iso_week")
    readonly_fields = [field.name for field in Roster._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("staff", "kind", "starts_on", "ends_on", "cancelled_at")
    list_filter = ("kind",)
    search_fields = ("staff__full_name", "staff__code")
    readonly_fields = ("recorded_by", "recorded_at", "cancelled_at")


@admin.register(UnitEvent)
class UnitEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "unit", "day", "kind", "is_for_everyone", "cancelled_at")
    list_filter = ("kind",)
    search_fields = ("title", "unit__name")


@admin.register(SwapRequest)
class SwapRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("requester", "counterpart", "requester_day", "counterpart_day", "status", "created_at")
    list_filter = ("status",)
    readonly_fields = [field.name for field in SwapRequest._meta.fields]


@admin.register(RosterRun)
class RosterRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("iso_week", "agency", "status", "units_done", "units_total", "started_at", "finished_at")
    readonly_fields = [field.name for field in RosterRun._meta.fields]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("staff", "kind", "starts_on", "ends_on", "status", "created_at", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("staff__full_name", "staff__code")
    readonly_fields = [field.name for field in LeaveRequest._meta.fields]
