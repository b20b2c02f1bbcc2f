from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Home pages by role, the navigation every page shows, and the audit screens: the floor above every app."""

    name = "telework.portal"
    label = "portal"
