"""The whole demo city, loaded once for the tests of this module and rolled back after them: its registry, plans and
staff counts, ledger, 2021 reform and workflow.

Loading it takes half a minute on SQLite; each test here reads it (or loads it again, which must change nothing)
inside its own savepoint, so the tests stay independent while the city is built once. The tests of the city against
the standards live in test_demo_standards.py and run here, imported, on the same city. Under pytest-xdist they all go
to one test process (conftest.py, ``pytest_xdist_make_scheduler``), so the city is built once per run. Tests that
need an empty database (loading part of the city) live in the other modules of this folder.
"""
import datetime
import random
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import rolled_back
from demo import reform
from demo import workflow as workflow_demo
from demo.institutions import DEFAULT_SEED, generate
from demo.positions import STAFF_DAY
from demo.reform import plan_reform
from demo.tests.test_demo_admin_queries import *  # noqa: F403 -- every admin list at a fixed query count
from demo.tests.test_demo_api_schema import *  # noqa: F403 -- every read of the API against its schema
from demo.tests.test_demo_ascii import *  # noqa: F403 -- every page in Chinese for every role
from demo.tests.test_demo_dashboards import *  # noqa: F403 -- the home pages per role on this city
from demo.tests.test_demo_finance_docs import *  # noqa: F403 -- the finance document's examples, on this city
from demo.tests.test_demo_institutions import CAPS, REGION_KINDS
from demo.tests.test_demo_mandates import *  # noqa: F403 -- the regulations, charters and party organisations
from demo.tests.test_demo_powers import *  # noqa: F403 -- the power lists and the enforcement list
from demo.tests.test_demo_standards import *  # noqa: F403 -- the standards' tests read this module's city
from demo.tests.test_demo_tracking import *  # noqa: F403 -- the reform's follow-up on this city
from institutions.models import (
    ApprovalDocument,
    Institution,
    InstitutionEvent,
    InternalDivision,
    LifeEventKind,
    Plaque,
    Region,
)
from institutions.selectors import institution_counts_by_region, institutions_on
from positions.models import PositionPlan, StaffCount
from quotas.choices import HolderKind, TransferKind
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType
from quotas.selectors import borrowed_quotas_of_units, ledger_reconcile, totals_by_level
from reconciliation.selectors import filter_flag, reconciliation
from reforms.models import ReformOperation, ReformPlan
from reforms.selectors import reform_effect
from standards.models import InstitutionCap
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, RequestEvent, StaffMovement, TurnoverLoan

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_city(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        call_command("load_demo", verbosity=0, stdout=StringIO())
        # Check the city's deferred foreign keys once, here: left pending in this outer transaction, they were
        # checked again at the end of every test (Django's TestCase checks constraints in each test's
        # savepoint, and rolling the savepoint back puts them back in the queue), 1.6 s a test on PostgreSQL.
        connection.check_constraints()
        yield


# --- registry ------------------------------------------------------------------------------------------------------
# The loaded demo registry: regions of the right kinds and caps, levels as generated on the day before the reform,
# rows passing validation.


def test_loaded_city_passes_model_validation():
    city = generate(DEFAULT_SEED)
    rng = random.Random(DEFAULT_SEED)

    assert {region.code: region.kind for region in Region.objects.all()} == REGION_KINDS
    caps = {cap.region.code: cap.cap for cap in InstitutionCap.objects.select_related("region")}
    assert caps == {c: CAPS[k] for c, k in REGION_KINDS.items() if CAPS[k] is not None}
    level_of = {region.pk: region.level for region in Region.objects.all()}
    levels = Counter()
    for region_id, count in institution_counts_by_region(datetime.date(2021, 4, 29)).items():
        levels[level_of[region_id]] += count
    assert levels == {level: row["public"] for level, row in city.counts().items()}  # as generated, before the reform
    active = list(Institution.objects.filter(status="active").select_related("supervisor", "region"))
    for unit in rng.sample(active, 200):
        unit.full_clean()
    for model in (Region, ApprovalDocument):
        for row in model.objects.all():
            row.full_clean()
    for model in (InternalDivision, Plaque):
        rows = list(model.objects.all())
        for row in rng.sample(rows, min(100, len(rows))):
            row.full_clean()


# --- positions -----------------------------------------------------------------------------------------------------
# The demo city's plans and staff counts: sized from the ledger, with every kind of unit, idempotent.


def test_demo_plans_and_staff_counts_follow_the_ledger_and_show_every_case():
    plans = PositionPlan.objects.count()
    counts = StaffCount.objects.filter(as_of=STAFF_DAY).count()  # the reform's plans moved staff in 2021 too
    every_count = StaffCount.objects.count()
    active = Institution.objects.filter(kind="public_institution", status="active").count()

    assert 0.9 * active < plans < active and 0.9 * active < counts < active
    # Plan totals are the approved quotas, but for the few left stale on purpose.
    balances = dict(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION,
                                                quota_type__code="institutional").values_list("institution", "balance"))
    matching = sum(plan.total == balances[plan.institution_id] for plan in PositionPlan.objects.all())
    assert matching > 0.9 * plans
    assert not any(finding["binding"] for plan in PositionPlan.objects.all() for finding in plan.findings)
    units = reconciliation()
    for flag, share in (("vacant", 0.5), ("at_quota", 0.05), ("over_quota", 0.05), ("over_position", 0.05),
                        ("no_plan", 0.02), ("stale_plan", 0.02), ("no_staff_count", 0.01)):
        assert filter_flag(units, flag).count() > share * active, flag

    call_command("load_demo", verbosity=0, stdout=StringIO())
    assert (PositionPlan.objects.count(), StaffCount.objects.count()) == (plans, every_count)


# --- quotas --------------------------------------------------------------------------------------------------------
# The demo city's quotas enter through the ledger: a pre-reform state, then the reform, balanced and idempotent.


def test_demo_ledger_shows_the_reform_and_loads_once():
    transfers = QuotaTransfer.objects.count()

    city = generate(DEFAULT_SEED)
    planned = {unit.credit_code: unit for unit in city.institutions if unit.planned_quota > 0}
    assert set(planned) <= set(QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION)
                               .values_list("institution__credit_code", flat=True))
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, is_active=True,
                                           quota_type__code="institutional")
    borrowed = borrowed_quotas_of_units(accounts.values_list("institution_id", flat=True))
    # Own quotas: the later demo lends some units turnover-pool quotas (which units depends on the database's order).
    balances = {code: balance - borrowed.get((unit_id, type_id), 0) for code, unit_id, type_id, balance in
                accounts.values_list("institution__credit_code", "institution_id", "quota_type_id", "balance")}
    # Reserved units the reform's plans left alone were re-verified to their standard (the planned size); none
    # holds more after the reform.
    touched = {code for plan in plan_reform(city) for operation in plan.operations for code in operation.units}
    reserved = [code for code, unit in planned.items() if unit.reserved_class != "none" and unit.quota_type ==
                "institutional" and code not in touched]
    assert len(reserved) > 1000 and all(balances[code] <= planned[code].planned_quota for code in reserved)
    assert ledger_reconcile().ok
    assert QuotaAccount.objects.filter(holder_kind=HolderKind.REGION_CONTROLLED, balance__gt=0).count() == 9

    institutional = QuotaType.objects.get(code="institutional")
    before = totals_by_level(datetime.date(2020, 12, 31), quota_type=institutional)
    after = totals_by_level(datetime.date(2022, 1, 1), quota_type=institutional)
    for level in ("city", "district", "county"):
        reduction = (before[level] - after[level]) / before[level]
        assert 0.05 < reduction < 0.4, (level, reduction)

    call_command("load_demo", verbosity=0)
    assert QuotaTransfer.objects.count() == transfers


# --- reform --------------------------------------------------------------------------------------------------------
# The demo city's 2021 reform, carried out as reform plans: the effect report lands on the article's figures, the
# article's examples are there as the operations left them, the ledger balances, and loading again changes nothing.


BEFORE, AFTER = datetime.date(2021, 4, 29), datetime.date(2021, 12, 31)  # the day before the first plan; year end
CITY_DAY, DISTRICT_DAY = datetime.date(2021, 4, 30), datetime.date(2021, 5, 31)
# The article: fewer institutions and quotas per level, in percent (counties: quotas reduced or under control).
ARTICLE = {"city": (Decimal("-19.3"), Decimal("-25.3")), "district": (Decimal("-21"), Decimal("-22")),
           "county": (Decimal("-5"), Decimal("32"))}
TOLERANCE = Decimal("1.5")


def unit(name: str) -> Institution:
    return Institution.objects.get(name=name)


def open_account(institution: Institution) -> QuotaAccount:
    return QuotaAccount.objects.get(holder_kind=HolderKind.INSTITUTION, institution=institution, is_active=True,
                                    quota_type__code="institutional")


def test_the_effect_report_lands_on_the_article_at_every_level_with_songbei_at_23():
    effect = reform_effect(BEFORE, AFTER, quota_type=QuotaType.objects.get(code="institutional")).round

    reached = {}
    for level, (institutions, quotas) in ARTICLE.items():
        row = effect.level(level)
        quota_figure = row.reduced_or_controlled_percent if level == "county" else row.quotas.percent
        reached[level] = (row.institutions.percent, quota_figure)
        assert abs(row.institutions.percent - institutions) <= TOLERANCE, (level, reached[level])
        assert abs(quota_figure - quotas) <= TOLERANCE, (level, reached[level])
    songbei = next(region for region in effect.regions if region.name == "松北区")
    assert songbei.institutions.after == 23
    assert effect.operations["devolve"] == 7 and effect.operations["remove_plaque"] == 4
    assert effect.operations["marketise"] == 4 and effect.operations["abolish"] >= 5


def test_two_hospitals_merged_into_the_first_hospital_which_carries_their_names():
    first = unit("哈尔滨市第一医院")

    for name in ("哈尔滨市第六医院", "哈尔滨市职工医院"):
        merged = unit(name)
        assert (merged.status, merged.successor, merged.ended_on) == ("merged", first, CITY_DAY)
        assert not QuotaAccount.objects.filter(institution=merged, is_active=True).exists()
        assert QuotaAccount.objects.get(institution=merged).balance == 0
        assert InstitutionEvent.objects.filter(institution=first, kind=LifeEventKind.ABSORBED, related=merged).exists()
    assert set(Plaque.objects.filter(institution=first, ended_on__isnull=True).values_list("name", flat=True)) >= {
        "哈尔滨市第六医院", "哈尔滨市职工医院"}


def test_three_hospitals_and_four_registration_sub_centres_went_down_whole_with_their_quotas():
    devolved = {"哈尔滨市第三医院": ("230104", "卫生健康局"), "哈尔滨市第七医院": ("230110", "卫生健康局"),
                "哈尔滨市第八医院": ("230108", "卫生健康局"),
                "哈尔滨市不动产登记中心松北分中心": ("230109", "自然资源局"),
                "哈尔滨市不动产登记中心呼兰分中心": ("230111", "自然资源局"),
                "哈尔滨市不动产登记中心阿城分中心": ("230112", "自然资源局"),
                "哈尔滨市不动产登记中心双城分中心": ("230113", "自然资源局")}
    for name, (code, agency) in devolved.items():
        moved = unit(name)
        district = Region.objects.get(code=code)
        assert (moved.status, moved.region) == ("active", district)
        assert moved.supervisor.region == district and moved.supervisor.name.endswith(agency)
        city_account = QuotaAccount.objects.get(institution=moved, is_active=False)
        allocated = QuotaTransfer.objects.get(kind=TransferKind.ALLOCATE, target=city_account).amount
        account = open_account(moved)
        moved_down = QuotaTransfer.objects.get(kind=TransferKind.TRANSFER, source=city_account, target=account)
        assert (account.region, moved_down.amount) == (district, allocated), name  # all of them, none reclaimed
        assert institutions_on(BEFORE).get(pk=moved.pk).region_on == district.parent_id
        assert institutions_on(AFTER).get(pk=moved.pk).region_on == district.pk


def test_research_institute_plaques_came_down_from_four_hospitals():
    for hospital, plaque in (("第一医院", "肿瘤研究所"), ("第二医院", "心血管病研究所"), ("儿童医院", "儿科研究所"),
                             ("胸科医院", "结核病研究所")):
        row = Plaque.objects.get(institution__name="哈尔滨市" + hospital, name="哈尔滨市" + plaque)
        assert row.ended_on == CITY_DAY
        assert InstitutionEvent.objects.filter(institution=row.institution, kind=LifeEventKind.PLAQUE_REMOVED,
                                               date=CITY_DAY).exists()


def test_five_support_units_abolished_and_four_public_welfare_units_on_the_gradual_market_path():
    for name in ("干部疗养院", "职工疗养院", "机关第二招待所", "劳动就业训练中心", "机关汽车服务中心"):
        abolished = unit("哈尔滨市" + name)
        assert (abolished.status, abolished.ended_on, abolished.staff_in_quota) == ("abolished", CITY_DAY, 0)
        assert not QuotaAccount.objects.filter(institution=abolished, balance__gt=0).exists()
    gradual = ReformOperation.objects.filter(kind="marketise", market_path="gradual")
    assert gradual.count() == 4
    for operation in gradual:
        marketised = operation.institution
        marketised.refresh_from_db()
        assert (marketised.status, marketised.category) == ("active", "commercial")
        assert open_account(marketised).balance == marketised.staff_in_quota  # the spare quotas were cancelled
        assert marketised.events.filter(kind=LifeEventKind.MARKETISED, date=CITY_DAY).exists()


def test_each_district_merged_its_five_insurance_centres_into_one_social_insurance_centre():
    centre = unit("哈尔滨市道里区社会保险事业中心")

    assert (centre.established_on, centre.region.code) == (DISTRICT_DAY, "230102")
    merged = Institution.objects.filter(successor=centre)
    assert sorted(merged.values_list("name", flat=True)) == sorted(
        "哈尔滨市道里区" + name for name in ("城镇职工养老保险中心", "城乡居民养老保险中心", "机关事业单位养老保险中心",
                                             "失业保险中心", "工伤保险中心"))
    assert set(merged.values_list("status", flat=True)) == {"merged"}
    assert Institution.objects.filter(name__endswith="区社会保险事业中心", established_on=DISTRICT_DAY).count() == 9
    assert open_account(centre).balance >= centre.staff_in_quota > 0


def test_every_plan_was_approved_with_its_own_illustrative_document_and_executed_and_the_ledger_balances():
    plans = ReformPlan.objects.select_related("document").exclude(title__in=reform.NEXT_ROUND.values())
    in_hand = ReformPlan.objects.filter(title__in=reform.NEXT_ROUND.values())

    assert plans.count() == 21 and set(plans.values_list("status", flat=True)) == {"executed"}
    assert sorted(in_hand.values_list("region__code", "status")) == [("230102", "draft"), ("230103", "submitted")]
    assert not in_hand.filter(operations__isnull=True).exists()
    assert len({plan.document_id for plan in plans}) == 21
    assert all(plan.document.title.endswith("（示意）") and plan.title.endswith("（示意）") for plan in plans)
    assert {plan.effective_date.year for plan in plans} == {2021}
    assert ledger_reconcile().ok
    call_command("ledger_check", stdout=StringIO())  # raises CommandError when the ledger does not balance
    ended = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION).exclude(institution__status="active")
    assert ended.exists() and not ended.exclude(balance=0).exists() and not ended.filter(is_active=True).exists()
    assert not Institution.objects.exclude(status="active").exclude(staff_in_quota=0).exists()


def test_carrying_the_reform_out_again_changes_nothing():
    counts = (ReformPlan.objects.count(), ReformOperation.objects.count(), QuotaTransfer.objects.count(),
              InstitutionEvent.objects.count(), Institution.objects.count())
    out = StringIO()

    reform.load(city=generate(DEFAULT_SEED), stdout=out)

    assert "already" in out.getvalue()
    assert counts == (ReformPlan.objects.count(), ReformOperation.objects.count(), QuotaTransfer.objects.count(),
                      InstitutionEvent.objects.count(), Institution.objects.count())


# --- workflow ------------------------------------------------------------------------------------------------------
# The demo city's workflow: plans, notices and loans in each of their states, one loan overdue, through the
# services; loading it again changes nothing.


def states(model) -> set[str]:
    return set(model.objects.values_list("status", flat=True))


def test_the_demo_shows_every_state_and_loads_once():
    assert states(HiringPlan) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn"}
    assert states(QuotaUseNotice) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn",
                                      "expired"}
    assert states(TurnoverLoan) == {"draft", "submitted", "approved", "rejected", "executed", "withdrawn"}
    overdue = TurnoverLoan.objects.filter(is_overdue=True)
    assert overdue.count() == 1 and overdue.get().status == "approved"
    assert TurnoverLoan.objects.filter(status="approved", returned=1).count() == 1  # partly returned
    assert LoanReturnOffer.objects.filter(state="pending").count() == 1
    assert LoanReturnOffer.objects.filter(state="accepted").count() == 1
    assert QuotaUseNotice.objects.filter(status="approved", taken_up=1, count=2).count() == 1
    assert StaffMovement.objects.filter(kind="entry").count() == 2
    assert ledger_reconcile().ok
    counts = (HiringPlan.objects.count(), QuotaUseNotice.objects.count(), TurnoverLoan.objects.count(),
              QuotaTransfer.objects.count(), RequestEvent.objects.count(), StaffMovement.objects.count())

    out = StringIO()
    workflow_demo.load(stdout=out)

    assert "already loaded" in out.getvalue()
    assert counts == (HiringPlan.objects.count(), QuotaUseNotice.objects.count(), TurnoverLoan.objects.count(),
                      QuotaTransfer.objects.count(), RequestEvent.objects.count(), StaffMovement.objects.count())
