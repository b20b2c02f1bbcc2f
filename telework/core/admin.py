from django.contrib import admin

from telework.core.models import AuditEvent, ScheduledRun


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit trail is append-only."""

    list_display = ["occurred_at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "reason"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the record of the periodic jobs' runs (``core.scheduler``)."""

    list_display = ["job", "slot", "started_at", "finished_at", "outcome", "runner"]
    list_filter = ["job", "outcome"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
