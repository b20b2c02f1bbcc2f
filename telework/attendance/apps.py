from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "telework.attendance"
    label = "attendance"

    def ready(self) -> None:
        from telework.attendance import tasks  # noqa: F401 - registers the tasks the services queue by name
