from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "telework.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        from telework.accounts import push_tokens
        from telework.dossiers.permissions import push_token_agencies

        push_tokens.register(push_token_agencies)
