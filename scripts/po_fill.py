"""Developer tool: fill empty msgstr entries of the zh_Hans catalogue from a JSON {msgid: msgstr} file.

Usage: python scripts/po_fill.py [translations.json]   (without a file it lists what is untranslated)
Then: python manage.py compilemessages -l zh_Hans
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"'):]) for line in lines if '"' in line)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main() -> int:
    mapping = json.loads(Path(sys.argv[1]).read_text()) if len(sys.argv) > 1 else {}
    blocks = PO.read_text().split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        try:
            id_at = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            str_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        except StopIteration:
            out.append(block)
            continue
        if any(line.startswith("msgid_plural") for line in lines):
            out.append(block)
            continue
        msgid = _unquote(lines[id_at:str_at])
        msgstr = _unquote(lines[str_at:])
        context_at = next((i for i, line in enumerate(lines) if line.startswith("msgctxt ")), None)
        key = msgid if context_at is None else _unquote(lines[context_at:id_at]) + "\x04" + msgid
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if msgid and (not msgstr or fuzzy):
            if key in mapping:
                head = [
                    re.sub(r",\s*fuzzy", "", line) if line.startswith("#,") else line
                    for line in lines[:id_at]
                    if not line.startswith("#| ")
                ]
                head = [line for line in head if line.strip() != "#,"]
                block = "\n".join(head + lines[id_at:str_at] + [f"msgstr {_quote(mapping[key])}"])
            else:
                missing.append(key)
        out.append(block)
    PO.write_text("\n\n".join(out))
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    print(f"{len(missing)} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
