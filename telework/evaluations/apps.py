from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "telework.evaluations"
    label = "evaluations"
