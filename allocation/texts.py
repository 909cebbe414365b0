"""How the stress test's variants read: the service names each variant by a code (``base``, ``area+5``,
``method=dhondt``), which the API keeps; pages show this label instead."""
import re

from django.utils.translation import gettext

from allocation.zero_based import INDICATOR_LABELS, METHOD_LABELS

_MOVED = re.compile(r"(?P<key>[a-z_]+)(?P<sign>[+-])(?P<points>[0-9.]+)")


def stress_variant_label(code: str) -> str:
    """The reader's name of a stress-test variant (an unknown code is shown as it is)."""
    if code == "base":
        return gettext("the scenario as set")
    if code.startswith("method="):
        method = code.removeprefix("method=")
        return gettext("with %(method)s") % {"method": METHOD_LABELS.get(method, method)}
    moved = _MOVED.fullmatch(code)
    if moved is None:
        return code
    return gettext("%(indicator)s weight %(sign)s%(points)s points") % {
        "indicator": INDICATOR_LABELS.get(moved["key"], moved["key"]), "sign": moved["sign"],
        "points": moved["points"]}
