"""Revoke (delete) a user's API tokens: all of them, or those whose key starts with a prefix."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.management.commands._tokens import find_user, operator
from accounts.tokens import revoke, tokens_matching

MIN_PREFIX = 4


class Command(BaseCommand):
    help = "Revoke the API tokens of USERNAME: all of them, or with --key only those whose key starts with PREFIX."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--key", metavar="PREFIX",
            help=f"only the token whose key starts with PREFIX (at least {MIN_PREFIX} characters; the admin shows "
                 "each token's key prefix) or equals the whole key",
        )

    def handle(self, *args, username: str, key: str | None, **options) -> None:
        user = find_user(username)
        if key is not None:
            key = key.strip()
            if len(key) < MIN_PREFIX:
                raise CommandError(_("--key needs at least %(count)d characters") % {"count": MIN_PREFIX})
        count = revoke(tokens_matching(user, key), by=operator())
        if key is not None and not count:
            raise CommandError(_("%(username)s has no token whose key starts with %(prefix)s") % {
                "username": user.get_username(), "prefix": key})
        self.stderr.write(ngettext("%(count)d token of %(username)s revoked.",
                                   "%(count)d tokens of %(username)s revoked.", count)
                          % {"count": count, "username": user.get_username()})
