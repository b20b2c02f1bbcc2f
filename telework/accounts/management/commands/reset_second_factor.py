"""``manage.py reset_second_factor USERNAME --reason "…"``: remove a person's authenticator and recovery codes.

For the server's operator when nobody can do it on the site (the only system administrator lost their phone): the
person sets up the two-step login again at their next login. Audited as done by the system
(``telework.accounts.services.reset_second_factor``); on the site, HR does it from *Tổ chức → Tài khoản*.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from telework.accounts import services
from telework.accounts.models import User
from telework.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Reset a user's two-step login (authenticator and recovery codes); they enrol again at their next login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account whose two-step login is reset")
        parser.add_argument("--reason", required=True, help="why (kept in the audit trail)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is named “%(username)s”.") % {"username": options["username"]})
        try:
            removed = services.reset_second_factor(user=user, actor=None, reason=options["reason"][:500])
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(_("Two-step login of %(username)s reset (%(count)s authenticator removed).") % {"username": user.username, "count": removed})
