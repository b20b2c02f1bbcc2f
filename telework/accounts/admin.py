from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from telework.accounts.models import ActivationCode, ApiToken, User


@admin.register(User)
class TeleworkUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Telework", {"fields": ("role",)}))  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "prefix", "scope", "agency", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_digest", "prefix", "created_at", "last_used_at"]


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: codes are issued from the agency's accounts page; only their digest is stored."""

    list_display = ["user", "created_at", "expires_at", "used_at", "revoked_at", "failed_attempts"]
    readonly_fields = ["user", "code_digest", "created_at", "created_by", "expires_at", "used_at", "revoked_at", "failed_attempts"]

    def has_add_permission(self, request: Any) -> bool:
        return False
