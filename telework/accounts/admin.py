from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from telework.accounts.models import ApiToken, User


@admin.register(User)
class TeleworkUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Telework", {"fields": ("role",)}))  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_digest", "prefix", "created_at", "last_used_at"]
