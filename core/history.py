"""The admin's history pages in the reader's words: a change shows a field's old and new value as the change page
would (a choice by its label, yes/no, an empty value as a dash), not as stored (``active``, ``True``, ``None``)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ReadableRecordContextHelper(HistoricalRecordContextHelper):
    """Shows each changed value by its choice label; booleans and empty values as the admin's lists show them."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return EMPTY
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BooleanField):
            return gettext("Yes") if value else gettext("No")
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page reads as the rest of the admin (see ReadableRecordContextHelper)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableRecordContextHelper(self.model, historical_record)
