from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "telework.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from telework.accounts import (
            second_factor,
            tasks,  # noqa: F401 - registers the tasks the services queue by name
        )

        user_logged_in.connect(second_factor.note_enrolment, dispatch_uid="accounts.note_enrolment")
