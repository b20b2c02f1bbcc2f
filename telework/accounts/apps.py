from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "telework.accounts"
    label = "accounts"
