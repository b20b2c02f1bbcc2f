from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "telework.accounts"
    label = "accounts"

    def ready(self) -> None:
        from telework.accounts import tasks  # noqa: F401 - registers the tasks the services queue by name
