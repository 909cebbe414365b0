"""The power lists and the law-enforcement list on the full demo city (``load_demo`` loads them): 3,067 enforcement
items in the six main-urban districts (the four of kind ``main_urban`` and the two ``integrated``), every one's
department and executing body in its own district, and the pilots' power items across the dispositions.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from collections import Counter

from django.db.models import F

from demo.powers import ENFORCEMENT_TOTAL
from institutions.models import Region
from powers.models import EnforcementPower, PowerItem

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_powers_the_demo_city_holds_its_enforcement_list_and_its_pilots"]


def test_powers_the_demo_city_holds_its_enforcement_list_and_its_pilots(db):
    per_district = Counter(EnforcementPower.objects.values_list("district__kind", flat=True))
    districts = set(EnforcementPower.objects.values_list("district", flat=True))
    six = set(Region.objects.filter(kind__in=("main_urban", "integrated")).values_list("pk", flat=True))

    assert ENFORCEMENT_TOTAL == 3067 and EnforcementPower.objects.count() == 3067
    assert districts == six and len(six) == 6 and set(per_district) == {"main_urban", "integrated"}
    assert not EnforcementPower.objects.exclude(department__region=F("district")).exists()
    assert not EnforcementPower.objects.exclude(executing_body__region=F("district")).exists()
    dispositions = Counter(PowerItem.objects.values_list("disposition", flat=True))
    assert set(dispositions) == {"kept", "cleaned_up", "devolved"} and sum(dispositions.values()) > 100
