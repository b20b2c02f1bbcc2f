from django.apps import AppConfig


class StaffingConfig(AppConfig):
    """Same-day staffing-needs reports: Home Affairs opens a round, special units report, the city decides."""

    name = "telework.staffing"
    label = "staffing"
