from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "telework.policy"
    label = "policy"

    def ready(self) -> None:
        from telework.core import rule_labels
        from telework.policy.labels import PARAMETER_LABELS

        # A refusal naming a policy parameter shows the parameter's label, never its key.
        rule_labels.register({name: entry.label for name, entry in PARAMETER_LABELS.items()})
