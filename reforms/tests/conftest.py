"""The reform tests' fixtures: the positions fixtures (a city, users, documents, funding) and a plan maker."""
import datetime

import pytest

from institutions.tests.factories import DocumentFactory
from positions.tests.conftest import *  # noqa: F403
from workflow.tests.helpers import staffed  # noqa: F401

PLAN_DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def reform_document(db):
    """The city's decision approving a reform plan."""
    return DocumentFactory(office_code="哈编发", year=2026, serial=21, title="关于事业单位改革方案的批复",
                           date_issued=PLAN_DAY, date_effective=PLAN_DAY)
