"""Who may issue a dossier push token, and for which agencies: Home Affairs and system administrators for any
agency, an agency's HR officer for their own (the one-stop system of one province or agency pushes that agency's
dossiers). The answer needs the organisation, which sits above this app, so the dossiers app registers it at start-up
(``DossiersConfig.ready``); until then nobody may issue one."""

from __future__ import annotations

from collections.abc import Callable

from telework.accounts.models import User

# user → the (agency id, agency name) pairs they may issue a push token for, in the order to show them.
AgencyChoices = Callable[[User], list[tuple[int, str]]]
_issuable: list[AgencyChoices] = []


def register(choices: AgencyChoices) -> None:
    _issuable[:] = [choices]


def issuable_agencies(user: User) -> list[tuple[int, str]]:
    """The agencies ``user`` may issue a push token for (empty: they may issue only full tokens)."""
    return _issuable[0](user) if _issuable else []
