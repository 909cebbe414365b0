"""The 三定 regulations, charters and party organisations on the full demo city (``load_demo`` loads them): a dozen
units with an approved regulation and charter in force today, the article's party-organisation events (2 set up,
8 renamed, 5 adjusted), and each regulation's staffing article agreeing with the ledger on its issue date.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
import datetime
from collections import Counter

from institutions.models import Institution
from mandates import selectors
from mandates.models import Charter, Mandate, PartyOrganisation
from mandates.models.party import PartyEvent

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_mandates_the_demo_city_holds_its_regulations_charters_and_party_organisations"]


def test_mandates_the_demo_city_holds_its_regulations_charters_and_party_organisations(db):
    regulated = set(Mandate.objects.values_list("institution", flat=True))
    chartered = set(Charter.objects.values_list("institution", flat=True))

    assert len(regulated) == 12 and chartered == regulated
    assert PartyOrganisation.objects.count() == 12
    events = Counter(PartyEvent.objects.filter(date__year=2021).values_list("kind", flat=True))
    assert events == {"established": 2, "renamed": 8, "adjusted": 5}
    # A few name the unit's own fitting division as their party-affairs (and discipline-inspection) office.
    linked = PartyOrganisation.objects.filter(party_affairs_division__isnull=False)
    assert linked.exists()
    for row in linked.select_related("party_affairs_division", "discipline_division"):
        assert row.party_affairs_division.institution_id == row.institution_id
        assert row.discipline_division is None or row.discipline_division.institution_id == row.institution_id
    today = datetime.date.today()
    for unit in Institution.objects.filter(pk__in=regulated):
        assert selectors.in_force(Mandate, unit, today) is not None
        assert selectors.in_force(Charter, unit, today) is not None
