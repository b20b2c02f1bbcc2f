from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Satisfaction surveys of people and businesses (SIPAS-style) and the anonymous staff pulse survey."""

    name = "telework.surveys"
    label = "surveys"
