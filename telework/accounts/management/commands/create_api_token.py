"""``manage.py create_api_token USERNAME NAME``: issue an API token and print its key, once.

The key goes alone to standard output (``TOKEN=$(manage.py create_api_token …)``); the explanation goes to
standard error. Only a digest is stored, so a lost key cannot be shown again: revoke it and issue a new one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from telework.accounts.models import TOKEN_MAX_DAYS, ApiToken, User


class Command(BaseCommand):
    help = "Create an API token for a user and print it once (only its digest is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account the token acts as")
        parser.add_argument("name", help="what will use the token, e.g. 'reporting script'")
        parser.add_argument("--scope", choices=["read", "check_in", "write", "full"], default="full", help="what the token may do (default: full)")
        parser.add_argument("--days", type=int, default=TOKEN_MAX_DAYS, help=f"how long it works, 1 to {TOKEN_MAX_DAYS} days (default {TOKEN_MAX_DAYS})")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name or len(name) > 100:
            raise CommandError(_("Give the token a name of 1 to 100 characters."))
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is named “%(username)s”.") % {"username": options["username"]})
        if not user.is_active:
            raise CommandError(_("The account “%(username)s” is deactivated; a token for it would not work.") % {"username": user.username})
        if not 1 <= options["days"] <= TOKEN_MAX_DAYS:
            raise CommandError(_("A token lives from 1 to %(days)s days.") % {"days": TOKEN_MAX_DAYS})
        token, key = ApiToken.issue(user=user, name=name, scope=options["scope"], days=options["days"])
        self.stdout.write(key)
        self.stderr.write(
            _("Token “%(name)s” (%(prefix)s…) created for %(username)s. Copy it now: it will not be shown again.")
            % {"name": token.name, "prefix": token.prefix, "username": user.username}
        )
