from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "telework.rosters"
    label = "rosters"

    def ready(self) -> None:
        # Imported once the apps are loaded (they read models). ``signals`` registers the switch re-solve with
        # ``policy.effects`` (issue 3, item 6: the policy app stays unaware of rosters); ``tasks`` registers which task
        # carries out each follow-up a service queues (``services.follow_ups``).
        from telework.core import rule_labels
        from telework.rosters import day_plans, signals, tasks  # noqa: F401
        from telework.rosters.selectors import RULE_LABELS

        signals.register()
        # The approval inbox shows each requester's leave and roster places on the days asked.
        day_plans.register()
        # The roster's hard rules by name on every screen (a policy parameter keeps the policy's label).
        rule_labels.register({rule: label for rule, label in RULE_LABELS.items() if not rule_labels.rule_label(rule)})
