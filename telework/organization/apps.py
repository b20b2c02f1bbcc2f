from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "telework.organization"
    label = "organization"
