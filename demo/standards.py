"""The demo city's service figures, the inputs of its industry staffing standards (illustrative figures, seeded).

Called by ``load_demo`` last, when the reform and the ledger have left each unit its quotas. For one recent year
(``YEAR``), each active unit of a sector the standards cover gets the figure its standard reads
(``standards.models.ServiceFigure``):

- a primary, junior or senior school: its students of that level. Primary schools (…小学) read primary students,
  township middle schools (…镇中学, …乡中学) junior ones, the city's middle schools (第…中学校) senior ones, and the
  districts' and counties' other middle schools (第…中学, 实验中学) one or the other, drawn. Kindergartens,
  special-education and vocational schools and colleges have no figure: no line of the school standard covers them;
- a public hospital: its beds;
- a disease-control centre: the resident population of its region (the 2010 census figure the demo has for every
  region; the city level's centre reads the whole city's).

Students and beds are sized so that the standard comes close to what the unit holds: equal to it (a school) or
covering it (a hospital's range) for most, a little below it (the unit holds more than its standard: falling
enrolment) for about one in four, a little above it for about one in seven (``OUTCOMES``). Disease-control centres
read the population as it is, so their standard falls where it falls (mostly above what they hold). Everything is
drawn from ``random.Random(f"{seed}:standards")`` over the units in credit-code order, so the same city and seed
give the same figures. Bulk inserts with their history rows; nothing is written when the demo's figures exist.
"""
from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from django.db import transaction

from demo.institutions import CITY_NAME, DEFAULT_SEED, DemoCity
from institutions.choices import InstitutionKind, InstitutionStatus, ReservedClass

YEAR = 2025
SOURCE_MARK = "（示意）"
CHANGE_REASON = "演示数据（示意）/ illustrative demo data"
# (outcome, weight): the unit's quotas within its standard, over it (the standard lower) or under it (higher).
OUTCOMES = (("within", 60), ("over", 25), ("under", 15))
OFF_BY = (0.04, 0.15)  # how far an over or under standard is from what the unit holds, as a share of it
SENIOR_SHARE = 0.35  # of the districts' and counties' ordinary middle schools, those that are senior schools
PRIMARY, JUNIOR, SENIOR = "students_primary", "students_junior", "students_senior"
BEDS, RESIDENTS = "beds", "residents"


def school_figure(name: str, rng: random.Random) -> str | None:
    """The students a school's standard reads, by its name (None: no line of the school standard covers it).
    Draws only for the middle schools whose name does not tell their level."""
    if name.endswith("小学"):
        return PRIMARY
    if name.endswith("职业高级中学校"):
        return None
    if name.endswith("中学校"):
        return SENIOR
    if name.endswith(("镇中学", "乡中学")):
        return JUNIOR
    if name.endswith("中学"):
        return SENIOR if rng.random() < SENIOR_SHARE else JUNIOR
    return None


def _office(unit) -> str:
    """市 / 道里区 / 依兰县: the region whose bureau reports the unit's figure."""
    return "市" if unit.region.parent_id is None else unit.region.name


def _source(unit, figure: str) -> str:
    if figure == RESIDENTS:
        region = unit.region.name if unit.region.parent_id else CITY_NAME
        return f"{region}常住人口，取2010年第六次全国人口普查数（示意）"
    if figure == BEDS:
        return f"{_office(unit)}卫生健康局{YEAR}年卫生资源统计：实有床位（示意）"
    return f"{_office(unit)}教育局{YEAR}年教育事业统计（示意）"


def _lines(level: str):
    """figure kind → a function from a value to the standard's (low, high), or None when no line covers it: the
    rule sets in force at the end of ``YEAR``, as ``standards.selectors.unit_standards`` reads them."""
    from standards import rules
    from standards.models import FIGURE_SECTOR, IndustryRuleSet

    year_end = datetime.date(YEAR, 12, 31)
    in_force = {}
    for rule_set in IndustryRuleSet.objects.filter(valid_from__lte=year_end).prefetch_related("rules").order_by(
            "-valid_from"):
        in_force.setdefault(rule_set.sector, rule_set)

    def reader(kind: str) -> Callable[[int], tuple[int, int] | None]:
        rule_set = in_force.get(FIGURE_SECTOR[kind])
        candidates = [line for line in (rule_set.rules.all() if rule_set else ())
                      if line.figure == kind and line.level in ("", level)]

        def standard(value: int) -> tuple[int, int] | None:
            line = next((line for line in candidates if value >= line.low
                         and (line.high is None or value <= line.high)), None)
            if line is None:
                return None
            result = rules.standard_quota(value, line.as_rule())
            return result.low, result.high

        return standard

    return reader


def sized_figure(size: int, outcome: str, off: int, standard: Callable[[int], tuple[int, int] | None]) -> int:
    """The smallest figure whose standard puts ``size`` quotas ``outcome``: within it (its middle reaches
    ``size``), over it (its upper end reaches ``size - off``) or under it (its lower end reaches ``size + off``).
    The standards rise with the figure, so a bisection finds it."""
    target = {"within": size, "over": size - off, "under": size + off}[outcome]

    def key(value: int) -> float:
        low_high = standard(value)
        if low_high is None:
            return float("inf")
        low, high = low_high
        return {"within": (low + high) / 2, "over": high, "under": low}[outcome]

    low, high = 1, 1
    while key(high) < target:
        high *= 2
    while low < high:
        middle = (low + high) // 2
        if key(middle) >= target:
            high = middle
        else:
            low = middle + 1
    return low


def is_loaded() -> bool:
    from standards.models import ServiceFigure

    return ServiceFigure.objects.filter(year=YEAR, source__endswith=SOURCE_MARK).exists()


def load(*, city: DemoCity | None = None, by=None, stdout: TextIO | None = None) -> None:
    """Write the service figures of ``YEAR`` (see the module), unless the demo's figures are there already."""
    from simple_history.utils import bulk_create_with_history

    from institutions.models import Institution
    from quotas.selectors import own_approved_quotas_of_units
    from standards.models import ServiceFigure

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    if is_loaded():
        say("行业标准服务数据已存在 / demo service figures already loaded: nothing written")
        return
    seed = city.seed if city is not None else DEFAULT_SEED
    rng = random.Random(f"{seed}:standards")
    units = list(Institution.objects.filter(
        kind=InstitutionKind.PUBLIC_INSTITUTION, status=InstitutionStatus.ACTIVE,
        reserved_class__in=(ReservedClass.SCHOOL, ReservedClass.PUBLIC_HOSPITAL, ReservedClass.DISEASE_CONTROL),
    ).select_related("region").order_by("credit_code", "pk"))
    sizes = own_approved_quotas_of_units([unit.pk for unit in units])
    populations = {region.code: region.resident_population for region in city.regions} if city else {}
    readers = {}
    figures, outcomes = [], Counter()
    for unit in units:
        if unit.reserved_class == ReservedClass.DISEASE_CONTROL:
            value = populations.get(unit.region.code)
            if value is None:
                continue
            figures.append(ServiceFigure(institution=unit, year=YEAR, figure=RESIDENTS, value=value,
                                         source=_source(unit, RESIDENTS)))
            continue
        kind = BEDS if unit.reserved_class == ReservedClass.PUBLIC_HOSPITAL else school_figure(unit.name, rng)
        if kind is None:
            continue
        level = unit.region.level
        if level not in readers:
            readers[level] = _lines(level)
        size = max(sizes.get(unit.pk, 0), 1)
        outcome = rng.choices([name for name, _weight in OUTCOMES], weights=[weight for _n, weight in OUTCOMES])[0]
        off = max(1, round(size * rng.uniform(*OFF_BY)))
        if outcome == "over" and size - off < 1:
            outcome = "within"
        value = sized_figure(size, outcome, off, readers[level](kind))
        outcomes[outcome] += 1
        figures.append(ServiceFigure(institution=unit, year=YEAR, figure=kind, value=value,
                                     source=_source(unit, kind)))
    with transaction.atomic():
        bulk_create_with_history(figures, ServiceFigure, batch_size=1000, default_user=by,
                                 default_change_reason=CHANGE_REASON)
    by_kind = Counter(figure.figure for figure in figures)
    students = sum(by_kind[kind] for kind in (PRIMARY, JUNIOR, SENIOR))
    say(f"行业标准服务数据 / service figures {YEAR}: {len(figures)} (students {students}, beds {by_kind[BEDS]}, "
        f"residents {by_kind[RESIDENTS]}; sized within / over / under the standard: "
        f"{outcomes['within']} / {outcomes['over']} / {outcomes['under']}; 示意 / illustrative)")
