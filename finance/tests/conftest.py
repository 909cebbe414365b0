"""The finance tests' fixtures: the positions fixtures (a city with 道里区 and 南岗区, users, a document, funding
through the ledger) and a small city worked by hand (``payroll_city``).

- 道里区图书馆 (``library``): 10 own institutional quotas (allocated 2024-01-02) and 2 borrowed from the city's talent
  pool (lent 2025-06-01): 12 held. Staff count of 2025-12-31: 9 in quota (2 management; 6 professional-technical:
  1 senior deputy, 3 intermediate, 2 junior; 1 worker-skill). Usable vacancy 12 − 9 − 0 = 3.
- 道里区文化馆 (``hall``): 5 own quotas, no staff count: the registry's figure of 6 staff in quota (no breakdown).
  Over quota by 1; usable vacancy 5 − 6 = −1.
- 南岗区档案馆 (``archive``): 8 own quotas, a staff count of 8 (8 professional-technical intermediate). Self-funded.
"""
from __future__ import annotations

import datetime

import pytest

from accounts.roles import Role
from institutions.choices import FundingForm
from institutions.tests.factories import InstitutionFactory
from positions.tests.conftest import *  # noqa: F403
from positions.tests.factories import StaffCountFactory, staff_counts
from quotas import services as ledger
from workflow.tests.helpers import talent_pool  # noqa: F401

LENT_ON = datetime.date(2025, 6, 1)
STAFF_DAY = datetime.date(2025, 12, 31)


@pytest.fixture
def payroll_city(daoli, nangang, fund, talent_pool, clerk, document):  # noqa: F811
    library = InstitutionFactory(region=daoli, name="道里区图书馆")
    account = fund(library, 10)
    ledger.quota_loan(source=talent_pool, target=account, amount=2, document=document, effective_date=LENT_ON,
                      by=clerk)
    StaffCountFactory(institution=library, as_of=STAFF_DAY,
                      **staff_counts(management=2, professional=(0, 1, 3, 2), worker=1))
    hall = InstitutionFactory(region=daoli, name="道里区文化馆", staff_in_quota=6)
    fund(hall, 5)
    archive = InstitutionFactory(region=nangang, name="南岗区档案馆", funding_form=FundingForm.SELF_FUNDED)
    fund(archive, 8)
    StaffCountFactory(institution=archive, as_of=STAFF_DAY, **staff_counts(professional=(0, 0, 8, 0)))
    return {"library": library, "hall": hall, "archive": archive, "daoli": daoli, "nangang": nangang}


@pytest.fixture
def finance_user(make_user):
    return make_user(Role.FINANCE_SYSTEM)


def counts() -> tuple[int, int, int]:
    """Rows of the three payroll tables: a refused submission leaves them as they were."""
    from finance.models import PayrollCheck, PayrollLine, PayrollUnit

    return PayrollCheck.objects.count(), PayrollUnit.objects.count(), PayrollLine.objects.count()
