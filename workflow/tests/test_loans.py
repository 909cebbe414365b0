"""Turnover-pool loans through the services: the rules, lending through the ledger, returns, 人走编收, overdue."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import ConflictError
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from quotas.choices import PoolSector
from quotas.selectors import account_statement
from workflow import hiring, loans
from workflow.models import LoanReturnOffer, TurnoverLoan, WorkflowPolicy
from workflow.selectors import quota_holdings
from workflow.tasks import flag_overdue_loans
from workflow.tests.helpers import balance, ledger_ok, snapshot

pytestmark = pytest.mark.django_db

LENT_ON = datetime.date(2026, 1, 10)
RETURN_PLAN = [{"date": "2027-07-31", "count": 1}, {"date": "2028-06-30", "count": 1}]


@pytest.fixture
def full_unit(daoli, staffed):
    """道里区医院: 6 approved, 6 staff in quota (at quota, so it may borrow)."""
    return staffed(InstitutionFactory(region=daoli, name="道里区人民医院"), 6, management=2,
                   professional=(0, 0, 2, 2))


def request_loan(unit, pool, case, by, *, count=2, term=36, plan=RETURN_PLAN):
    loan = loans.turnover_loan_create(institution=unit, pool=pool, count=count, talent_category="high_level",
                                      case=case, term_months=term, return_plan=plan, by=by,
                                      justification="引进心血管专科人才")
    return loans.turnover_loan_submit(loan=loan, by=by, on=LENT_ON)


def lend(unit, pool, case, clerk, decision, **extra):
    loan = request_loan(unit, pool, case, clerk, **extra)
    return loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)


def test_approval_lends_through_the_ledger_and_shows_own_and_borrowed_apart(full_unit, talent_pool, case, clerk,
                                                                            decision):
    loan = lend(full_unit, talent_pool, case, clerk, decision)

    assert (loan.status, loan.start_date, loan.due_date) == ("approved", LENT_ON, datetime.date(2029, 1, 10))
    assert (loan.outstanding, loan.return_state) == (2, "outstanding")
    assert (loan.loan_transfer.kind, loan.loan_transfer.amount, loan.loan_transfer.document) == ("loan", 2, decision)
    assert (balance(talent_pool), balance(full_unit)) == (3, 8)
    [holding] = quota_holdings(full_unit.region.institutions.all(), borrowers_only=True)
    assert (holding.balance, holding.borrowed, holding.own) == (8, 2, 6)
    assert ledger_ok()


def test_a_unit_with_usable_vacancies_may_not_borrow(library, talent_pool, case, clerk):
    loan = loans.turnover_loan_create(institution=library, pool=talent_pool, count=1, talent_category="high_level",
                                      case=case, term_months=24, return_plan=RETURN_PLAN, by=clerk)
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        loans.turnover_loan_submit(loan=loan, by=clerk, on=LENT_ON)

    assert refused.value.message_dict == {"institution": [
        "“道里区图书馆” has 3 usable vacant quotas of Institutional quota (事业编制): a unit with vacancies may not "
        "borrow."]}
    assert snapshot() == before


def test_no_more_than_the_leavers_expected_within_the_term(full_unit, talent_pool, case, clerk):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        request_loan(full_unit, talent_pool, case, clerk, count=2, term=12)  # only one leaver by 2027-01-10

    assert refused.value.message_dict == {"count": [
        "2 quotas requested, but the return plan expects 0 leavers from 2026-01-10 to 2027-01-10: a unit may not "
        "borrow more than the leavers expected within the term."]}


def test_the_term_is_at_most_the_policy_s_longest(full_unit, talent_pool, case, clerk):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        request_loan(full_unit, talent_pool, case, clerk, count=1, term=40)
    WorkflowPolicy.objects.update_or_create(pk=1, defaults={"loan_max_term_months": 48})

    loan = request_loan(full_unit, talent_pool, case, clerk, count=1, term=40)

    assert refused.value.message_dict == {"term_months": ["The term may be at most 36 months."]}
    assert loan.status == "submitted"


def test_the_pool_never_lends_what_it_does_not_hold(full_unit, talent_pool, case, clerk, decision):
    loan = request_loan(full_unit, talent_pool, case, clerk, count=6,
                        plan=[{"date": "2027-01-01", "count": 6}])
    before = snapshot()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)

    [message] = refused.value.message_dict["count"]
    assert message.startswith("The balance of ") and message.endswith("is 5, less than 6.")
    assert snapshot() == before
    assert TurnoverLoan.objects.get(pk=loan.pk).status == "submitted"
    assert loan.events.count() == 2  # create, submit


def test_a_pool_lends_to_its_own_region_and_districts_only(full_unit, nangang, case, clerk, document):
    other_pool = ledger.account_for_turnover_pool(region=nangang, quota_type=ledger.quota_type_get(),
                                                  sector=PoolSector.HEALTH)

    with pytest.raises(ValidationError) as refused:
        loans.turnover_loan_create(institution=full_unit, pool=other_pool, count=1, talent_category="other",
                                   case=case, term_months=12, return_plan=RETURN_PLAN, by=clerk)

    assert "pool" in refused.value.message_dict
    assert not TurnoverLoan.objects.exists()


@pytest.mark.parametrize("plan", [[], [{"date": "2027-13-01", "count": 1}], [{"date": "2027-01-01", "count": 0}]])
def test_a_return_plan_is_mandatory_and_well_formed(full_unit, talent_pool, case, clerk, plan):
    with pytest.raises(ValidationError) as refused:
        loans.turnover_loan_create(institution=full_unit, pool=talent_pool, count=1, talent_category="other",
                                   case=case, term_months=12, return_plan=plan, by=clerk)

    assert "return_plan" in refused.value.message_dict


def test_a_second_approval_is_refused(full_unit, talent_pool, case, clerk, decision):
    loan = lend(full_unit, talent_pool, case, clerk, decision)
    before = snapshot()

    with pytest.raises(ConflictError):
        loans.turnover_loan_approve(loan=loan, by=clerk, document=decision, on=LENT_ON)

    assert snapshot() == before


def test_early_and_partial_returns_then_settlement(full_unit, talent_pool, case, clerk, decision):
    loan = lend(full_unit, talent_pool, case, clerk, decision, count=2)

    loans.turnover_loan_return(loan=loan, count=1, by=clerk, document=decision, on=datetime.date(2026, 6, 1))
    loan.refresh_from_db()
    assert (loan.status, loan.returned, loan.return_state) == ("approved", 1, "partly_returned")
    assert (balance(talent_pool), balance(full_unit)) == (4, 7)
    with pytest.raises(ValidationError):
        loans.turnover_loan_return(loan=loan, count=2, by=clerk, document=decision)

    settled = loans.turnover_loan_settle(loan=loan, by=clerk, document=decision, on=datetime.date(2026, 7, 1))

    assert (settled.status, settled.returned, settled.return_state) == ("executed", 2, "returned")
    assert (balance(talent_pool), balance(full_unit)) == (5, 6)
    statement = account_statement(talent_pool, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert [(line.kind, line.change) for line in statement.lines] == [("loan", -2), ("return", 1), ("return", 1)]
    assert [item.kind for item in settled.returns.all()] == ["early", "settlement"]
    assert ledger_ok()


def test_an_exit_offers_a_return_one_for_one_and_accepting_posts_it(full_unit, talent_pool, case, clerk, decision):
    loan = lend(full_unit, talent_pool, case, clerk, decision, count=2)
    exit_day = datetime.date(2026, 8, 31)

    first = hiring.staff_exit_record(institution=full_unit, category="management", reason="retirement", by=clerk,
                                     on=exit_day)
    [offer] = LoanReturnOffer.objects.filter(movement=first)
    assert (offer.loan, offer.count, offer.state) == (loan, 1, "pending")
    accepted = loans.loan_return_offer_accept(offer=offer, by=clerk, document=decision)

    loan.refresh_from_db()
    assert (accepted.state, accepted.loan_return.kind, accepted.loan_return.date) == ("accepted", "one_for_one",
                                                                                      exit_day)
    assert (loan.returned, loan.return_state, loan.status) == (1, "partly_returned", "approved")
    assert (balance(talent_pool), balance(full_unit)) == (4, 7)

    hiring.staff_exit_record(institution=full_unit, category="professional", band="junior", reason="resignation",
                             by=clerk, on=exit_day, count=2)  # two leave: only one quota is still owed
    [second] = LoanReturnOffer.objects.filter(state="pending")
    assert second.count == 1
    loans.loan_return_offer_accept(offer=second, by=clerk, document=decision)
    loan.refresh_from_db()
    assert (loan.status, loan.returned) == ("executed", 2)
    assert (balance(talent_pool), balance(full_unit)) == (5, 6)
    hiring.staff_exit_record(institution=full_unit, category="management", reason="death", by=clerk, on=exit_day)
    assert LoanReturnOffer.objects.filter(state="pending").count() == 0  # nothing owed any more
    assert ledger_ok()


def test_declining_an_offer_keeps_the_quota_and_needs_a_reason(full_unit, talent_pool, case, clerk, decision):
    lend(full_unit, talent_pool, case, clerk, decision, count=1, plan=[{"date": "2027-01-01", "count": 1}])
    hiring.staff_exit_record(institution=full_unit, category="management", reason="transfer_out", by=clerk)
    offer = LoanReturnOffer.objects.get()

    with pytest.raises(ValidationError):
        loans.loan_return_offer_decline(offer=offer, by=clerk, reason="")
    declined = loans.loan_return_offer_decline(offer=offer, by=clerk, reason="岗位急需补员")
    with pytest.raises(ConflictError):
        loans.loan_return_offer_accept(offer=offer, by=clerk, document=decision)

    assert (declined.state, balance(talent_pool)) == ("declined", 4)


def test_overdue_loans_are_flagged_once(full_unit, talent_pool, case, clerk, decision):
    loan = lend(full_unit, talent_pool, case, clerk, decision, count=1)

    assert flag_overdue_loans(today="2029-01-10") == 0  # due that day: not yet overdue
    assert flag_overdue_loans(today="2029-01-11") == 1
    assert flag_overdue_loans(today="2029-02-01") == 0

    loan.refresh_from_db()
    assert (loan.is_overdue, loan.overdue_flagged_on) == (True, datetime.date(2029, 1, 11))
