from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The sample city (``manage.py seed_demo``) and the test city (``telework.demo.testing``), built from every app's
    data through their services: the top floor, which nothing imports."""

    name = "telework.demo"
    label = "demo"
