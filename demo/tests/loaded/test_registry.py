"""The loaded demo registry: regions of the right kinds and caps, levels as generated on the day before the reform,
rows passing validation."""
import datetime
import random
from collections import Counter

import pytest

from demo.institutions import DEFAULT_SEED, generate
from demo.tests.test_demo_institutions import CAPS, REGION_KINDS
from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
from institutions.selectors import institution_counts_by_region

pytestmark = pytest.mark.django_db


@pytest.mark.django_db
def test_loaded_city_passes_model_validation():
    city = generate(DEFAULT_SEED)
    rng = random.Random(DEFAULT_SEED)

    assert {region.code: region.kind for region in Region.objects.all()} == REGION_KINDS
    assert {r.code: r.institution_cap for r in Region.objects.all()} == {c: CAPS[k] for c, k in REGION_KINDS.items()}
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
