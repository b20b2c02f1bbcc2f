from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "telework.core"
    label = "core"
