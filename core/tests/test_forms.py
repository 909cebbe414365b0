"""The shared date widget: a browser date input shows its default date, whatever the active language."""
import datetime
import re

import pytest
from django import forms
from django.utils import timezone, translation

from core.forms import IsoDateInput
from quotas.forms import DocumentDateForm, StatementForm


class _DayForm(forms.Form):
    day = forms.DateField(widget=IsoDateInput(), initial=datetime.date(2026, 12, 3))


def _value(html: str, name: str) -> str:
    return re.search(rf'<input type="date" name="{name}" value="([^"]*)"', str(html)).group(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_input_renders_its_initial_value_in_iso_form(language):
    with translation.override(language):
        assert _value(_DayForm()["day"], "day") == "2026-12-03"


def test_a_date_input_keeps_what_was_typed_when_the_form_is_shown_again():
    form = _DayForm({"day": "not a date"})

    assert not form.is_valid()
    assert _value(form["day"], "day") == "not a date"


@pytest.mark.django_db
def test_the_ledger_forms_show_today_and_the_statement_period_as_iso_dates():
    today = timezone.localdate()  # the form's initial is the function itself, read when the form is shown
    statement = StatementForm(initial={"start": datetime.date(2000, 1, 1), "end": datetime.date(2026, 12, 2)})

    with translation.override("zh-hans"):
        assert _value(DocumentDateForm()["effective_date"], "effective_date") == today.isoformat()
        assert (_value(statement["start"], "start"), _value(statement["end"], "end")) == ("2000-01-01", "2026-12-02")
