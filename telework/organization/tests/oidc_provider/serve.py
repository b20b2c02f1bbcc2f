"""Start the test provider: ``python -m telework.organization.tests.oidc_provider.serve PORT``.

Migrates its own SQLite database, creates the people and the client (from the environment ``provider.py`` sets),
then serves on 127.0.0.1:PORT until killed, printing ``ready`` once it listens."""

import datetime as dt
import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "telework.organization.tests.oidc_provider.settings"
    from telework.organization.tests.oidc_provider import clock

    if os.environ.get("OIDC_PROVIDER_NOW"):
        clock.start(dt.datetime.fromisoformat(os.environ["OIDC_PROVIDER_NOW"]))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, person in settings.PEOPLE.items():
        User.objects.create_user(username=username, password=person["password"])
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="telework",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=ThreadingServer, handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
