"""Start and drive the test provider (``serve.py``) from the tests: a real OpenID Connect provider on a free loopback
port, with an RSA key generated for this start; nothing of it is mocked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from telework.core import clock
from telework.core.tests.servers import free_loopback_port

ROOT = Path(__file__).resolve().parents[4]
CLIENT_ID = "telework-tests"
CLIENT_SECRET = "telework-tests-client-secret"


@dataclass
class Provider:
    issuer: str
    base: str

    def sync_clock(self) -> None:
        """Put the provider's clock on the tests' (both frozen, ticking)."""
        requests.get(f"{self.base}/_clock/", params={"at": clock.now().isoformat()}, timeout=10).raise_for_status()

    def settings(self, **extra: Any) -> dict[str, Any]:
        """The RP settings pointing at this provider (endpoints from its discovery document)."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "",
            "OIDC_OP_TOKEN_ENDPOINT": "",
            "OIDC_OP_USER_ENDPOINT": "",
            "OIDC_OP_JWKS_ENDPOINT": "",
            "OIDC_OP_LOGOUT_ENDPOINT": "",
            "OIDC_RP_SCOPES": "openid staff",
            **extra,
        }


@contextmanager
def running_provider(*, people: dict[str, dict[str, Any]], redirect_uris: list[str], post_logout_redirect_uris: list[str]) -> Iterator[Provider]:
    """A provider subprocess knowing ``people`` (username → password and claims), stopped afterwards."""
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file = Path(folder) / "key.pem"
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        env = {
            **os.environ,
            "OIDC_PROVIDER_DB": str(Path(folder) / "provider.sqlite3"),
            "OIDC_PROVIDER_KEY": str(key_file),
            "OIDC_PROVIDER_ISSUER": f"{base}/o",
            "OIDC_PROVIDER_PEOPLE": json.dumps(people),
            "OIDC_PROVIDER_CLIENT": json.dumps(
                {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris, "post_logout_redirect_uris": post_logout_redirect_uris}
            ),
            "OIDC_PROVIDER_NOW": clock.now().isoformat(),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "telework.organization.tests.oidc_provider.serve", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if line.strip() != "ready":
                process.kill()
                raise RuntimeError(f"the test provider did not start: {line}{process.communicate(timeout=10)[1]}")
            yield Provider(issuer=f"{base}/o", base=base)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')


def log_in_at_provider(authorize_url: str, *, username: str, password: str, back_to: str) -> str:
    """Follow the provider's pages as a browser would, over real HTTP: the authorization request, its login form, and
    back; returns the address the provider sends the browser back to (``back_to…?code=…&state=…``)."""
    session = requests.Session()
    url = authorize_url
    for _hop in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "provider-login" in response.text:
            token = CSRF_FIELD.search(response.text)
            following = NEXT_FIELD.search(response.text)
            assert token is not None
            assert following is not None
            response = session.post(
                response.url,
                data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": password, "next": following.group(1).replace("&amp;", "&")},
                headers={"Referer": response.url},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in {301, 302}, (response.status_code, response.text[:500])
        location = response.headers["Location"]
        url = location if location.startswith("http") else requests.compat.urljoin(url, location)
        if url.startswith(back_to):
            return url
    raise AssertionError("the provider never sent the browser back")
