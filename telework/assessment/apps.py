from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Did the pilot work: the design recorded before launch, the estimates against the time before the pilot, the
    dashboards, the review (sơ kết) and the leadership's decision to widen, adjust or stop."""

    name = "telework.assessment"
    label = "assessment"
