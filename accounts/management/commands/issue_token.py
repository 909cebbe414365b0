"""Print a new API token for a user: the key is shown this once, only its hash is stored."""
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.management.commands._tokens import find_user, operator
from accounts.models import MAX_TOKEN_DAYS
from accounts.tokens import issue_token


def days(value: str) -> int:
    number = int(value)
    if not 1 <= number <= MAX_TOKEN_DAYS:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME on standard output (the key is shown only this once; the database "
        "keeps a hash). By default the user's other tokens are revoked."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=days, metavar="N",
            help=f"the token expires after N days (1 to {MAX_TOKEN_DAYS}); default: the user profile's token "
                 "lifetime, else API_TOKEN_DAYS",
        )
        parser.add_argument("--client", default="", help="the name of the integration client that will use it")
        parser.add_argument("--keep-others", action="store_true", help="do not revoke the user's other tokens")

    def handle(self, *args, username: str, days: int | None, client: str, keep_others: bool, **options) -> None:
        user = find_user(username)
        if not user.is_active:
            raise CommandError(_("user %(username)r is not active") % {"username": username})
        token, key, revoked = issue_token(user, days=days, client=client.strip(), keep_others=keep_others,
                                          by=operator())
        self.stdout.write(key)
        expiry = formats.date_format(timezone.localtime(token.expiry), "DATETIME_FORMAT")
        self.stderr.write(_("New API token for %(username)s (key prefix %(prefix)s), valid until %(expiry)s.") % {
            "username": user.get_username(), "prefix": token.token_key, "expiry": expiry})
        if revoked:
            self.stderr.write(ngettext("%(count)d earlier token of this user was revoked.",
                                       "%(count)d earlier tokens of this user were revoked.", revoked)
                              % {"count": revoked})
        self.stderr.write(_("Keep the key now: it cannot be shown again."))
