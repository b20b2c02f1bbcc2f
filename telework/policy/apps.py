from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "telework.policy"
    label = "policy"

    def ready(self) -> None:
        from telework.core import rule_labels
        from telework.organization import on_site
        from telework.policy import tasks  # noqa: F401 - registers the switch follow-up, which services queue by name
        from telework.policy.labels import PARAMETER_LABELS
        from telework.policy.selectors import service_point_staffing

        # A refusal naming a policy parameter shows the parameter's label, never its key.
        rule_labels.register({name: entry.label for name, entry in PARAMETER_LABELS.items()})
        # The service-point screens (organisation, a floor below) show the staffing the policy in force asks for.
        on_site.register_reader(service_point_staffing)
