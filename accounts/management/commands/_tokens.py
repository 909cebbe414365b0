"""What the token commands share: finding the user, naming who ran the command."""
import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def find_user(username: str):
    user_model = get_user_model()
    try:
        return user_model.objects.get(**{user_model.USERNAME_FIELD: username})
    except user_model.DoesNotExist as exc:
        raise CommandError(_("no user named %(username)r") % {"username": username}) from exc


def operator() -> str:
    """Who runs the command, for the log: the operating-system account."""
    try:
        return f"manage.py ({getpass.getuser()})"
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        return "manage.py"
