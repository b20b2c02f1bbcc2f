from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "telework.policy"
    label = "policy"
