"""The demo city against the standards (one standard for all): every district within its institution cap after the
reform, the caps fixed by their illustrative document, the service figures of its schools, hospitals and
disease-control centres, and the few findings it is built to show.

These tests read the whole demo city, which is built once per test run inside ``test_loaded_city.py`` (its
module-scoped ``demo_city`` fixture; under pytest-xdist that module's tests all go to one process, conftest.py).
So they are run from there: that module imports them (``__all__``), and this module collects nothing on its own
(``__test__``), so that the city is not built a second time. Run them with ``pytest demo/tests/test_loaded_city.py``
(``-k standards`` for these only).
"""
import datetime
from collections import Counter
from io import StringIO

from demo import standards as demo_standards
from demo.institutions import CAP_DOCUMENT, DEFAULT_SEED, OVER_POSTED_DIVISIONS, generate
from demo.tests.test_demo_institutions import CAPS, REGION_KINDS
from institutions.models import Institution
from standards import selectors
from standards.models import FIGURE_SECTOR, SECTOR_OF_CLASS, CapMethod, InstitutionCap, ServiceFigure

__test__ = False  # collected through test_loaded_city.py, which holds the loaded city
__all__ = [
    "test_standards_every_district_is_within_its_cap_after_the_reform",
    "test_standards_the_caps_are_fixed_by_the_illustrative_cap_document",
    "test_standards_each_school_hospital_and_disease_control_centre_has_its_service_figure",
    "test_standards_the_findings_are_the_few_the_demo_is_built_to_show",
]

DISTRICTS = {code for code, kind in REGION_KINDS.items() if kind in ("main_urban", "integrated", "outer_suburban")}
AFTER = datetime.date(2021, 12, 31)  # the reform's year end, as the effect report reads it
SCHOOL_SOURCE = "教育局2025年教育事业统计（示意）"
SOURCE = {"students_primary": SCHOOL_SOURCE, "students_junior": SCHOOL_SOURCE, "students_senior": SCHOOL_SOURCE,
          "beds": "卫生健康局2025年卫生资源统计：实有床位（示意）",
          "residents": "常住人口，取2010年第六次全国人口普查数（示意）"}


def district_caps(on=None):
    return {figure.region.code: figure for figure in selectors.region_caps(on).values()
            if figure.region.code in DISTRICTS}


def active(reserved_class):
    return Institution.objects.filter(kind="public_institution", status="active", reserved_class=reserved_class)


def test_standards_every_district_is_within_its_cap_after_the_reform():
    for on in (AFTER, None):  # at the reform's year end, and today
        caps = district_caps(on)
        assert set(caps) == DISTRICTS
        for code, figure in caps.items():
            assert figure.cap == CAPS[REGION_KINDS[code]] and figure.method == CapMethod.FIXED, code
            assert 0 < figure.institutions <= figure.cap and figure.over_by == 0, (figure.region.name, on)
    # They were over it before (but the government-zone-integrated ones), and 松北区 is at 23.
    before = district_caps(datetime.date(2021, 4, 29))
    assert {code for code, figure in before.items() if figure.over_by} == {
        code for code in DISTRICTS if REGION_KINDS[code] != "integrated"}
    assert district_caps()["230109"].institutions == 23
    assert not [finding for finding in selectors.findings() if finding.rule == selectors.CAP]


def test_standards_the_caps_are_fixed_by_the_illustrative_cap_document():
    office_code, year, serial, title, day = CAP_DOCUMENT
    caps = InstitutionCap.objects.select_related("region", "document")

    assert {cap.region.code for cap in caps} == DISTRICTS
    documents = {cap.document for cap in caps}
    assert len(documents) == 1
    document = documents.pop()
    assert (document.office_code, document.year, document.serial, document.title) == (
        office_code, year, serial, title)
    assert document.number == generate(DEFAULT_SEED).cap_document.number == "哈编发〔2021〕8号"
    assert document.title.endswith("（示意）") and document.issuer.endswith("机构编制委员会")
    assert document.date_effective == day < datetime.date(2021, 4, 30)  # before the reform's first plans
    for cap in caps:
        cap.full_clean()


def test_standards_each_school_hospital_and_disease_control_centre_has_its_service_figure():
    figures = list(ServiceFigure.objects.select_related("institution__region"))
    by_unit = Counter(figure.institution_id for figure in figures)
    population = {region.code: region.resident_population for region in generate(DEFAULT_SEED).regions}

    assert max(by_unit.values()) == 1 and {figure.year for figure in figures} == {2025}
    for figure in figures:
        unit = figure.institution
        assert unit.status == "active" and FIGURE_SECTOR[figure.figure] == SECTOR_OF_CLASS[unit.reserved_class]
        assert figure.source.endswith(SOURCE[figure.figure]) and figure.value > 0, unit.name
        if figure.figure == "residents":
            assert figure.value == population[unit.region.code], unit.name
    for figure in figures[::25]:
        figure.full_clean()
    kinds = {figure.institution_id: figure.figure for figure in figures}
    assert all(kinds.get(unit.pk) == "residents" for unit in active("disease_control"))
    assert all(kinds.get(unit.pk) == "beds" for unit in active("public_hospital"))
    assert active("disease_control").count() == 19 and active("public_hospital").count() > 50
    # Schools by level: primary schools read primary students, the city's 第…中学校 senior ones, township middle
    # schools junior ones; the other middle schools either; kindergartens, special-education and vocational schools
    # and colleges no figure (no line of the school standard covers them).
    schools = list(active("school"))
    for school in schools:
        kind = kinds.get(school.pk)
        if school.name.endswith("小学"):
            assert kind == "students_primary", school.name
        elif school.name.endswith("职业高级中学校"):
            assert kind is None, school.name
        elif school.name.endswith("中学校"):
            assert kind == "students_senior", school.name
        elif school.name.endswith(("镇中学", "乡中学")):
            assert kind == "students_junior", school.name
        elif school.name.endswith("中学"):
            assert kind in ("students_junior", "students_senior"), school.name
        else:
            assert kind is None and school.name.endswith(("幼儿园", "学校", "学院")), school.name
    levels = Counter(kinds.get(school.pk) for school in schools)
    assert levels["students_primary"] > 300 and levels["students_junior"] > 100 and levels["students_senior"] > 50

    out = StringIO()
    demo_standards.load(city=generate(DEFAULT_SEED), stdout=out)
    assert "already loaded" in out.getvalue() and ServiceFigure.objects.count() == len(figures)


def test_standards_the_findings_are_the_few_the_demo_is_built_to_show():
    found = selectors.findings()
    rules = Counter(finding.rule for finding in found)
    units = Institution.objects.filter(kind="public_institution", status="active").count()
    sized = ServiceFigure.objects.exclude(figure="residents").count()
    sized_over = sum(finding.rule == selectors.INDUSTRY_OVER and finding.institution.reserved_class != "disease_control"
                     for finding in found)
    sized_under = sum(finding.rule == selectors.INDUSTRY_UNDER
                      and finding.institution.reserved_class != "disease_control" for finding in found)

    # Regions and internal divisions keep to the standards.
    assert rules[selectors.CAP] == rules[selectors.DIVISION_AVERAGE] == rules[selectors.DIVISION_COUNT] == 0
    # Leadership posts over the table are a few examples: divisions with a leader too many on purpose, and units
    # whose quotas the reform cut below their band while their leaders stayed.
    assert 1 <= rules[selectors.LEADERSHIP_DIVISION] <= OVER_POSTED_DIVISIONS
    assert 1 <= rules[selectors.LEADERSHIP_UNIT] <= units // 100
    # Schools and hospitals: most within their standard, about a quarter over it, about one in seven under it.
    assert 0.15 * sized < sized_over < 0.35 * sized and 0.08 * sized < sized_under < 0.22 * sized
    # Disease-control centres read their region's population as it is: most hold less than their standard.
    centres = [finding for finding in found if finding.institution is not None
               and finding.institution.reserved_class == "disease_control"]
    assert sum(finding.rule == selectors.INDUSTRY_UNDER for finding in centres) > len(centres) / 2
    assert set(rules) <= set(selectors.RULES)
