"""The claims the test provider asserts for each person (``PEOPLE`` in its settings): a staff code, an e-mail, and
the acr/amr of the login when given."""

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class StaffClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim goes into the ID token, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = settings.PEOPLE.get(request.user.username, {})
        return {key: value for key, value in person.items() if key != "password"}
