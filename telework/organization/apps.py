from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "telework.organization"
    label = "organization"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from telework.organization import search, tasks  # noqa: F401 - tasks registers the jobs the scheduler runs by name

        connection_created.connect(search.install_sqlite_fold, dispatch_uid="telework_fold")
