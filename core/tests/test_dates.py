"""The bounds of every date (core.dates): 1949-10-01 to today plus the allowed span."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from core.dates import EARLIEST, check_date, parse_date, query_date, validate_date, validate_past_date, validate_year


def test_the_bounds_and_their_messages():
    today = timezone.localdate()
    validate_date(EARLIEST)
    validate_date(today + datetime.timedelta(days=366))
    validate_past_date(today)
    with translation.override("en"):
        with pytest.raises(ValidationError) as early:
            validate_date(EARLIEST - datetime.timedelta(days=1))
        with pytest.raises(ValidationError) as late:
            validate_date(today + datetime.timedelta(days=367))
        with pytest.raises(ValidationError) as future_fact:
            validate_past_date(today + datetime.timedelta(days=1))
    assert early.value.messages == ["A date cannot be before 1949-10-01."]
    assert late.value.messages[0].startswith("A date cannot be more than 366 days after today")
    assert future_fact.value.messages[0].startswith("This records something that has happened")


@override_settings(DATES_MAX_AHEAD_DAYS=30)
def test_the_span_is_configurable():
    today = timezone.localdate()
    validate_date(today + datetime.timedelta(days=30))
    with pytest.raises(ValidationError):
        validate_date(today + datetime.timedelta(days=31))


def test_check_date_names_its_field_and_years_are_bounded():
    with pytest.raises(ValidationError) as refused:
        check_date(datetime.date(9999, 12, 31), field="effective_date")
    assert list(refused.value.message_dict) == ["effective_date"]
    check_date(None, field="effective_date")
    validate_year(1949)
    for year in (0, 1948, timezone.localdate().year + 2):
        with pytest.raises(ValidationError):
            validate_year(year)


def test_query_parameters():
    assert parse_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert query_date({}, "on") is None
    assert query_date({}, "on", default=datetime.date(2020, 1, 1)) == datetime.date(2020, 1, 1)
    for value in ("0001-01-01", "9999-12-31", "2024-13-01", "soon"):
        with pytest.raises(ValidationError) as refused:
            query_date({"on": value}, "on")
        assert list(refused.value.message_dict) == ["on"]
    with pytest.raises(ValidationError):
        query_date({}, "on", required=True)


def test_the_errors_keep_their_codes_under_the_field_they_name():
    with pytest.raises(ValidationError) as bad:
        query_date({"on": "2026-13-45"}, "on")
    with pytest.raises(ValidationError) as far:
        query_date({"on": "9999-01-01"}, "on")
    with pytest.raises(ValidationError) as missing:
        query_date({}, "on", required=True)
    with pytest.raises(ValidationError) as early:
        check_date(datetime.date(1900, 1, 1), field="date")

    assert [error.code for error in bad.value.error_dict["on"]] == ["invalid_date"]
    assert [error.code for error in far.value.error_dict["on"]] == ["date_out_of_bounds"]
    assert [error.code for error in missing.value.error_dict["on"]] == ["required"]
    assert [error.code for error in early.value.error_dict["date"]] == ["date_out_of_bounds"]
