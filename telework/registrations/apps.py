from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "telework.registrations"
    label = "registrations"
