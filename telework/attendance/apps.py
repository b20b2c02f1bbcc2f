from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "telework.attendance"
    label = "attendance"
