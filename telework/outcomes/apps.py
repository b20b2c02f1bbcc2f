from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """The outcome panel: one row per unit, week and indicator, built incrementally from the register of work,
    attendance, dossiers, ratings and surveys, with the published dictionary of what each indicator means."""

    name = "telework.outcomes"
    label = "outcomes"
