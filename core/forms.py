"""Form widgets and helpers every app shares."""
from django import forms
from django.core.exceptions import ValidationError


class IsoDateInput(forms.DateInput):
    """A browser date picker (``<input type="date">``) that shows its value.

    The browser accepts only ``YYYY-MM-DD`` in a date input's value; the default DateInput renders the active
    language's format (``2026/12/03`` in Chinese), which the browser drops, so a default date showed empty.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def put_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        for text in error.messages:
            form.add_error(None, text)
        return
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
