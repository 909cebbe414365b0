"""The demo loader on a small city: the template, approved regulations and charters of the centres and the merged
units (their staffing frozen on the document's date), party organisations with 2 set up, 8 renamed and 5 adjusted
in 2021; loading twice changes nothing."""
from __future__ import annotations

import datetime
from io import StringIO

import pytest

from demo import mandates as demo
from institutions.models import InstitutionEvent, LifeEventKind
from institutions.tests.factories import AgencyFactory, DocumentFactory, InstitutionFactory
from mandates.models import Charter, Mandate, MandateTemplate, PartyEvent, PartyOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_city(city, daoli, fund):
    agency = AgencyFactory(region=city, name="哈尔滨市医疗保障局")
    medical = InstitutionFactory(region=city, name="哈尔滨市医疗保障服务中心", supervisor=agency)
    social = InstitutionFactory(region=daoli, name="道里区社会保险事业中心")
    merged = InstitutionFactory(region=daoli, name="道里区综合服务中心")
    InstitutionEvent.objects.create(institution=merged, kind=LifeEventKind.ABSORBED, date=datetime.date(2021, 5, 1),
                                    region=daoli, document=DocumentFactory(region=daoli, year=2021))
    others = [InstitutionFactory(region=daoli, name=f"道里区服务站{n:02d}") for n in range(12)]
    fund(medical, 30, on=datetime.date(2021, 12, 1))
    fund(medical, 4, on=datetime.date(2022, 3, 1))  # after the regulations' date of issue: not in them
    return {"medical": medical, "social": social, "merged": merged, "others": others}


def test_the_demo_loads_once_with_the_articles_events(small_city):
    out = StringIO()
    demo.load(city=None, stdout=out)
    assert MandateTemplate.objects.count() == 1
    units = [mandate.institution.name for mandate in Mandate.objects.order_by("institution__region__code",
                                                                              "institution__name")]
    assert sorted(units) == sorted(["哈尔滨市医疗保障服务中心", "道里区社会保险事业中心", "道里区综合服务中心"])
    assert set(Mandate.objects.values_list("status", flat=True)) == {"approved"}
    assert Charter.objects.filter(status="approved").count() == 3
    medical = Mandate.objects.get(institution=small_city["medical"])
    sixth = next(article for article in medical.articles[1:] if article["number"] == 6)
    assert sixth["paragraphs"][0] == "第六条　哈尔滨市医疗保障服务中心核定事业编制30名。"
    assert medical.issued_on == datetime.date(2022, 1, 10)
    assert PartyOrganisation.objects.count() == 12
    in_2021 = PartyEvent.objects.filter(date__year=2021)
    assert in_2021.filter(kind="established").count() == 2
    assert in_2021.filter(kind="renamed").count() == 8
    assert in_2021.filter(kind="adjusted").count() == 5
    assert PartyEvent.objects.filter(kind="established").count() == 12
    assert "set up 2, renamed 8, adjusted 5" in out.getvalue()
    assert Mandate.history.count() == 3  # written with their history
    counts = (Mandate.objects.count(), Charter.objects.count(), PartyOrganisation.objects.count(),
              PartyEvent.objects.count())
    demo.load(city=None, stdout=out)
    assert (Mandate.objects.count(), Charter.objects.count(), PartyOrganisation.objects.count(),
            PartyEvent.objects.count()) == counts
    assert "nothing written" in out.getvalue()


def test_the_demo_names_fitting_divisions_as_party_affairs_and_discipline_offices(small_city):
    from institutions.tests.factories import DivisionFactory

    office = DivisionFactory(institution=small_city["social"], name="办公室")
    DivisionFactory(institution=small_city["social"], name="业务一科")
    DivisionFactory(institution=small_city["others"][0], name="办公室")
    party = DivisionFactory(institution=small_city["others"][0], name="党群工作科")
    demo.load(city=None, stdout=StringIO())
    links = {row.institution_id: (row.party_affairs_division, row.discipline_division)
             for row in PartyOrganisation.objects.all()}
    assert links[small_city["social"].pk] == (office, None)
    assert links[small_city["others"][0].pk] == (party, party)
    assert links[small_city["medical"].pk] == (None, None)
    assert sum(1 for pair in links.values() if pair != (None, None)) == 2
    in_2021 = PartyEvent.objects.filter(date__year=2021)
    assert (in_2021.filter(kind="established").count(), in_2021.filter(kind="renamed").count(),
            in_2021.filter(kind="adjusted").count()) == (2, 8, 5)
