from django.apps import AppConfig


class StaffingConfig(AppConfig):
    """Same-day staffing-needs reports: Home Affairs opens a round, special units report, the city decides."""

    name = "telework.staffing"
    label = "staffing"

    def ready(self) -> None:
        from telework.policy import effects
        from telework.staffing.signals import open_round_on_emergency

        effects.register_follow_up(open_round_on_emergency)
