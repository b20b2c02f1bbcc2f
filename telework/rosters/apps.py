from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "telework.rosters"
    label = "rosters"

    def ready(self) -> None:
        # Switching emergency mode or the suspension re-solves the affected rosters (issue 3, item 6). Registering
        # with ``policy.effects`` keeps the policy app unaware of rosters.
        from telework.rosters import signals

        signals.register()
