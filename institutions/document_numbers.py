"""Building and parsing document numbers (发文字号) such as 哈编发〔2020〕12号 (GB/T 9704-2012)."""
from __future__ import annotations

import re

# Brackets people type instead of 〔〕 are accepted when parsing; the number is always built with 〔〕.
_BRACKETS = str.maketrans(
    {"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕", "【": "〔", "】": "〕"}
)
_NUMBER_RE = re.compile(r"^(?P<office>[^\s〔〕0-9]{1,20})〔(?P<year>[0-9]{4})〕(?P<serial>[1-9][0-9]{0,5})号$")


def format_document_number(office_code: str, year: int, serial: int) -> str:
    """``office_code`` + year in 〔〕 + serial + 号; no "第" and no zero padding."""
    if not office_code or not office_code.strip():
        raise ValueError("the issuing office code (机关代字) is empty")
    if not 1949 <= int(year) <= 2999:
        raise ValueError(f"year {year} is not a plausible year")
    if int(serial) < 1:
        raise ValueError("the serial number must be 1 or more")
    return f"{office_code.strip()}〔{int(year)}〕{int(serial)}号"


def parse_document_number(number: str) -> tuple[str, int, int]:
    """(office code, year, serial) of a document number; ``ValueError`` saying why if malformed."""
    text = (number or "").strip().translate(_BRACKETS).replace(" ", "")
    match = _NUMBER_RE.match(text)
    if not match:
        if re.search(r"〕0[0-9]*号$", text):
            raise ValueError("the serial has a leading zero; write 12号, not 012号")
        if "第" in text:
            raise ValueError("a document number has no 第; write 哈编发〔2020〕12号")
        raise ValueError("expected office code, year in 〔〕, serial and 号, e.g. 哈编发〔2020〕12号")
    year = int(match["year"])
    if not 1949 <= year <= 2999:
        raise ValueError(f"year {year} is not a plausible year")
    return match["office"], year, int(match["serial"])
