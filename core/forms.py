"""Form widgets every app shares."""
from django import forms


class IsoDateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``) that shows its value.

    The browser accepts only ``YYYY-MM-DD`` in a date input's value; the default DateInput renders the active
    language's format (``2026/12/03`` in Chinese), which the browser drops, so a default date showed empty.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
