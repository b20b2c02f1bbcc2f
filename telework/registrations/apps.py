from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "telework.registrations"
    label = "registrations"

    def ready(self) -> None:
        # The confirmation of a city-wide switch counts the home days it touches (``policy.effects``).
        from telework.registrations import switch_effects, tasks  # noqa: F401 - tasks: queued by name by the services

        switch_effects.register()
