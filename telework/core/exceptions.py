"""Domain errors. Each carries the rule that refused the action, its parameters and a translated message,
so the web UI, the API and the command line render the same explanation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every refusal a user can see.

    ``code`` is stable and machine-readable (the API's ``code``); ``rule`` names the rule or policy parameter
    that decided (``unit_max_home_share``); ``params`` holds the figures the message quotes; ``details`` lists
    sub-findings (one per date or per rule) in the same shape.
    """

    code = "domain_error"
    http_status = 400

    def __init__(
        self,
        message: Any,
        *,
        rule: str = "",
        params: dict[str, Any] | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.rule = rule
        self.params = params or {}
        self.details = details or []

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "message": str(self.message),
            "params": {key: _jsonable(value) for key, value in self.params.items()},
            "details": [{key: _jsonable(value) for key, value in detail.items()} for detail in self.details],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


class RuleViolation(DomainError):
    """A business rule (a cap, a staffing minimum, eligibility) refuses the action."""

    code = "rule_violation"
    http_status = 409


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action."""

    code = "invalid_transition"
    http_status = 409


class ValidationFailed(DomainError):
    """The input itself is malformed or incomplete."""

    code = "validation_failed"
    http_status = 422


class NotPermitted(DomainError):
    """The actor may see the object but may not perform this action on it."""

    code = "not_permitted"
    http_status = 403

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("You are not allowed to do this."), **kwargs)


class NotFound(DomainError):
    """The object does not exist, or the actor may not see it (both answer 404)."""

    code = "not_found"
    http_status = 404

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("Not found."), **kwargs)
