from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "telework.core"
    label = "core"

    def ready(self) -> None:
        # Each app declares the objects its audit rows describe and who may see them (``core.audit_subjects``).
        from telework.core import audit_subjects

        audit_subjects.autodiscover()
