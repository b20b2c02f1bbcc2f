from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "telework.dossiers"
    label = "dossiers"
