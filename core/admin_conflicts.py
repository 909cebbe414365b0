"""A save through the admin that loses a race answers with the form and its error, not the database's IntegrityError.

Two clerks adding the same document number at the same moment both pass the form's uniqueness check; the database
refuses the second insert. The admin's change view is atomic, so nothing of that save is kept; this mixin then shows
the form once more, which now validates against the committed row and names the taken value, with a message saying
what happened. A constraint no form checks ends in the same message and the page reloaded, nothing saved.
"""
from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from core.errors import unique_constraint_of


class ConflictSafeAdminMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if request.method != "POST" or unique_constraint_of(error) is None:
                raise
            self.message_user(request, _(
                "Not saved: the same %(what)s was saved by someone else at the same moment. Check the form and "
                "submit again.") % {"what": self.model._meta.verbose_name}, messages.ERROR)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if unique_constraint_of(error) is None:
                raise
            return HttpResponseRedirect(request.get_full_path())
