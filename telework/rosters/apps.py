from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "telework.rosters"
    label = "rosters"

    def ready(self) -> None:
        from telework.core import rule_labels

        # Switching emergency mode or the suspension re-solves the affected rosters (issue 3, item 6). Registering
        # with ``policy.effects`` keeps the policy app unaware of rosters.
        from telework.rosters import signals
        from telework.rosters.selectors import RULE_LABELS

        signals.register()
        # The roster's hard rules by name on every screen (a policy parameter keeps the policy's label).
        rule_labels.register({rule: label for rule, label in RULE_LABELS.items() if not rule_labels.rule_label(rule)})
