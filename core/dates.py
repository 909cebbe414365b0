"""The bounds of every date the platform takes: one validator for models, services, forms and query parameters.

A date before the founding of the People's Republic (1949-10-01) cannot be a date of this administration, and a date
far in the future is a typing mistake that would otherwise block every later record (a staff count dated
9999-12-31 makes every later movement "earlier than the latest count"). So a date must lie between ``EARLIEST`` and
today plus a span: ``settings.DATES_MAX_AHEAD_DAYS`` (default 366) for decisions and documents; facts that have
happened (staff counts, entries and exits) may not lie in the future at all (``ahead_days=0``); notices and loans
compute their own end dates by their own rules (validity, term) and are not bounded here.
"""
from __future__ import annotations

import calendar
import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1949, 10, 1)
DEFAULT_AHEAD_DAYS = 366


def max_ahead_days() -> int:
    return int(getattr(settings, "DATES_MAX_AHEAD_DAYS", DEFAULT_AHEAD_DAYS))


def latest_allowed(ahead_days: int | None = None) -> datetime.date:
    """The last date accepted today (``ahead_days`` None: the configured span)."""
    days = max_ahead_days() if ahead_days is None else ahead_days
    return timezone.localdate() + datetime.timedelta(days=days)


def date_problem(value: datetime.date, *, ahead_days: int | None = None) -> str | None:
    """Why ``value`` is out of bounds, in the active language, or None when it is fine."""
    if value < EARLIEST:
        return str(_("A date cannot be before %(date)s.") % {"date": EARLIEST.isoformat()})
    last = latest_allowed(ahead_days)
    if value > last:
        if ahead_days == 0:
            return str(_("This records something that has happened: it cannot be dated after today (%(date)s).")
                       % {"date": last.isoformat()})
        return str(_("A date cannot be more than %(days)d days after today (at most %(date)s).")
                   % {"days": (last - timezone.localdate()).days, "date": last.isoformat()})
    return None


def check_date(value: datetime.date | None, *, field: str, ahead_days: int | None = None) -> None:
    """Raise ``ValidationError({field: message})`` when ``value`` is out of bounds (None passes)."""
    if value is None:
        return
    if not isinstance(value, datetime.date):
        raise ValidationError({field: ValidationError(_("Not a date: use YYYY-MM-DD."), code="invalid_date")})
    problem = date_problem(value, ahead_days=ahead_days)
    if problem:
        raise ValidationError({field: ValidationError(problem, code="date_out_of_bounds")})


@deconstructible
class DateBounds:
    """A model or form field validator: the date lies between 1949-10-01 and today plus the allowed span."""

    def __init__(self, ahead_days: int | None = None) -> None:
        self.ahead_days = ahead_days

    def __call__(self, value) -> None:
        if value is None:
            return
        problem = date_problem(value, ahead_days=self.ahead_days)
        if problem:
            raise ValidationError(problem, code="date_out_of_bounds")

    def __eq__(self, other) -> bool:
        return isinstance(other, DateBounds) and other.ahead_days == self.ahead_days


validate_date = DateBounds()
validate_past_date = DateBounds(ahead_days=0)


def validate_year(value: int | None) -> None:
    """A year of a document, an indicator or a plan: from 1949 to next year."""
    if value is None:
        return
    last = timezone.localdate().year + 1
    if not 1949 <= value <= last:
        raise ValidationError(_("A year lies between 1949 and %(last)d.") % {"last": last}, code="year_out_of_bounds")


# A day as people write it: 2026-11-28, 2026/11/28, 2026.11.28 or 2026年11月28日 (months and days with or without a
# leading zero, one separator throughout, spaces around the parts allowed); the whole text must be the day.
DAY_TEXT = re.compile(r"(?P<year>\d{4})\s*(?:(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})"
                      r"|年\s*(?P<cn_month>\d{1,2})\s*月\s*(?P<cn_day>\d{1,2})\s*日)")


def read_day(value) -> datetime.date | None:
    """A cell or a text as a date: a date, a datetime at any time of its day (a spreadsheet's date cell), or a day
    written as ``DAY_TEXT`` reads it; None for an empty one. A ValueError for anything else, or a day that does not
    exist (2026-02-30). The one reader of the days imports take; bounds are the model's (``DateBounds``)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = DAY_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(text)
    month, day = match["month"] or match["cn_month"], match["day"] or match["cn_day"]
    return datetime.date(int(match["year"]), int(month), int(day))


def parse_date(value: str | None, *, ahead_days: int | None = None) -> datetime.date | None:
    """A query parameter ``YYYY-MM-DD`` as a date within bounds; ``ValidationError`` (no field) when it is not."""
    if value in (None, ""):
        return None
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value},
                              code="invalid_date") from None
    problem = date_problem(day, ahead_days=ahead_days)
    if problem:
        raise ValidationError(problem, code="date_out_of_bounds")
    return day


def query_date(params, name: str, *, default: datetime.date | None = None, required: bool = False,
               ahead_days: int | None = None) -> datetime.date | None:
    """The query parameter ``name`` of ``params`` as a date within bounds, else ``default``; an error names the
    parameter (``ValidationError({name: …})``, a 400 in the API)."""
    value = params.get(name)
    if not value:
        if required:
            raise ValidationError({name: ValidationError(_("This parameter is required (YYYY-MM-DD)."),
                                                         code="required")})
        return default
    try:
        return parse_date(value, ahead_days=ahead_days)
    except ValidationError as error:
        raise ValidationError({name: ValidationError(error.messages[0], code=error.code)}) from None


def page_date(request, name: str, default: datetime.date) -> tuple[datetime.date, str | None]:
    """A page's ``?name=`` date: (the date or ``default``, the message saying why ``default`` is shown)."""
    try:
        return parse_date(request.GET.get(name)) or default, None
    except ValidationError as error:
        return default, _("%(reason)s %(default)s is shown.") % {
            "reason": " ".join(error.messages), "default": default.isoformat()}


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day when that month is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last_day in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)
