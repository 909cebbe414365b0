"""Download names (core.xlsx): the day in the name, and a Chinese name sent as RFC 5987's filename*."""
from urllib.parse import unquote

from django.http import HttpResponse
from django.test import override_settings
from django.utils import timezone

from core.xlsx import attachment, dated_filename


@override_settings(USE_TZ=True)
def test_a_chinese_name_survives_the_header():
    name = dated_filename("实有人员数")
    assert name == f"实有人员数-{timezone.localdate().isoformat()}.xlsx"

    header = attachment(HttpResponse(), name)["Content-Disposition"]

    assert header.startswith("attachment; filename*=UTF-8''") and header.isascii()
    assert unquote(header.split("''", 1)[1]) == name
