"""Strings the admin (Django's and django-simple-history's templates) shows that their zh_Hans catalogues lack.

Listed here so that ``makemessages`` keeps them in our catalogue, which translates them (screen-reader column
headings of the admin's index, the history page's "Changes" column, the login page's reminder).
"""
from django.utils.translation import gettext_noop

ADMIN_TEXTS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Changes"),
    gettext_noop("Deleted %(type_name)s"),
)
