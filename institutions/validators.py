"""Validators for codes: administrative division codes and unified social credit codes (GB 32100-2015)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIVISION_CODE_RE = re.compile(r"^[1-9][0-9]{5}$")

# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^(i) mod 31 for positions 1..17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{18}}$")


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are ``first17``."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_division_code(value: str) -> None:
    if not DIVISION_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A division code has exactly 6 digits and does not start with 0 (e.g. 230102)."),
            code="division_code",
        )


def validate_credit_code(value: str) -> None:
    """Refuse anything but a well-formed code with the right GB 32100-2015 check character."""
    if not value:
        return
    if not CREDIT_CODE_RE.match(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters except I, O, Z, S, V."),
            code="credit_code_format",
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character of this credit code is wrong (expected %(expected)s, got %(got)s)."),
            code="credit_code_check",
            params={"expected": expected, "got": value[17]},
        )
