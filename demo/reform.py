"""The demo city's 2021 reform, carried out as reform plans through ``reforms.services`` (illustrative figures).

``plan_reform(city)`` works the plans out from the generated city, without the database: three plans of the city
level (the hospitals, the devolutions, the streamlining of the other city units) and one plan per district and
county. They hold the article's examples (``demo/data/reform.csv``): two hospitals merged into the first hospital,
four research-institute plaques taken down from hospitals; five logistics, sanatorium and training units abolished;
four public-welfare units on the gradual market path; three hospitals and the registration centre's sub-centres of
松北, 呼兰, 阿城 and 双城 devolved whole to districts; each district's five insurance centres merged into one new
social-insurance centre ("five insurances in one"). Around them come ordinary mergers (service units of one
supervising agency, community health centres among them; schools of a kind; law-enforcement teams into the
comprehensive one) and abolitions of small units, as many in each region as bring its count of institutions to the
article's reduction for its level (``ARTICLE``), with 松北区 at 23 after the reform and every district within its
institution cap (74, or 58 for the government-zone-integrated ones): the districts over their caps end more units,
and the devolutions (``DEVOLUTION_DAY``) come after the districts' own plans, which leave room for the units they
receive (a plan that adds units to a district must leave it within its cap).
``expected_counts`` gives the counts the plans imply.

``load(city=..., by=...)`` writes it as the platform would: a staff count by category at the end of 2020 for every
unit the plans touch (the HR bureau's figures, split from the registry's staff in quota), then each plan created,
its operations added (abolished units' management and professional staff placed in the largest unit of their
agency, workers recorded as leaving; merged units' surplus cancelled), submitted, approved with its own document
titled "…（示意）" and executed. Then the reform's ledger postings that no reform operation covers, through the
ledger's services: vacant quotas reclaimed into each region's pool (``workflow.reclamation``, the devolved units
excepted: they went down whole), reserved units re-verified to their industry standard (the planned size), and each
level's pools giving up what brings its quotas to the article's reduction, in proportion to what they hold:
cancelled (核减) in the city level and the districts, partly put under controlled use in the counties. Two plans of
a next round stay in hand (``_pending``): 道里区's draft and 南岗区's submitted plan. Loading twice changes nothing.
"""
from __future__ import annotations

import csv
import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from demo import quotas
from demo.institutions import CITY_NAME, DATA_DIR, ILLUSTRATIVE, DemoCity, DemoDocument, DemoInstitution
from demo.positions import _split
from institutions.choices import DocumentKind, InstitutionKind, MustExistReason, ReservedClass

ARTICLE = {  # level → (institutions, quotas) reduction in percent; counties' quotas "reduced or under control"
    "city": (Decimal("19.3"), Decimal("25.3")),
    "district": (Decimal("21"), Decimal("22")),
    "county": (Decimal("5"), Decimal("32")),
}
SONGBEI, SONGBEI_AFTER = "230109", 23
DAOLI, NANGANG = "230102", "230103"
NEXT_ROUND_DAY = datetime.date(2027, 1, 1)  # the next round's plans, one a draft, one submitted (``_pending``)
NEXT_ROUND = {DAOLI: "道里区事业单位整合第二批方案（草稿，示意）", NANGANG: "南岗区事业单位规范名称方案（示意）"}
PLAN_DAY = {"city": datetime.date(2021, 4, 30), "district": datetime.date(2021, 5, 31),
            "county": datetime.date(2021, 6, 15)}
BEFORE_REFORM = datetime.date(2021, 4, 29)  # the day before the first plan takes effect
STAFF_DAY = datetime.date(2020, 12, 31)  # the staff counts the plans move
CITY_PLANS = {  # key → (plan title, document title, serial of 哈编发〔2021〕)
    "hospitals": ("市属公立医院整合和研究所牌子清理方案（示意）",
                  "关于市属公立医院整合和撤销研究所牌子的批复（示意）", 111),
    "devolution": ("市属医院和不动产登记中心分中心整建制下放方案（示意）",
                   "关于市第三、第七、第八医院和不动产登记中心松北、呼兰、阿城、双城分中心整建制下放的通知（示意）",
                   112),
    "streamline": ("市直事业单位撤并整合和转企改制方案（示意）",
                   "关于市直事业单位撤并整合和稳步推进转企改制的批复（示意）", 113),
}
# One standard for all: a plan that adds units to a district must leave it within its cap, so the city hands its
# units down once the districts' own plans have made room for them.
DEVOLUTION_DAY = datetime.date(2021, 6, 10)
LOCAL_PLAN = ("{name}事业单位改革方案（示意）", "关于{name}事业单位改革方案的批复（示意）", 101)
MERGE_KEEP = 0.9  # a merger's survivor is approved this share of what the merged units held (at least its staff)
MAX_SOURCES = {"group": 4, "school": 3, "law": 6, "wider": 10}
KEPT_WHOLE = (ReservedClass.PUBLIC_HOSPITAL, ReservedClass.DISEASE_CONTROL, ReservedClass.TOWNSHIP)
ABOLISH_AT_MOST = {"city": 30, "district": 15, "county": 12}  # planned size of the small units that may be abolished
PLACED_CATEGORIES = ("management", "professional")  # abolitions: these go to a receiving unit, workers leave
BANDS = ("senior_full", "senior_deputy", "intermediate", "junior")
STAFFED_KINDS = ("merge", "abolish", "marketise")  # the operations that read or move staff
STAFF_NOTE = "2020年末在编人员（示意）"
ORDINARY_MERGE, ORDINARY_ABOLITION = "职能相近，整合（示意）", "职能弱化，予以撤销（示意）"


@dataclass(frozen=True)
class DemoOperation:
    """One operation of a plan, naming units by credit code (``reforms.models.ReformOperation`` once written)."""

    kind: str
    unit: str | None = None  # credit code; a merger's survivor (None: the merger forms ``new_name``)
    sources: tuple[str, ...] = ()
    new_name: str = ""
    new_region: str | None = None  # region code
    new_supervisor: str | None = None  # credit code of an agency
    plaque: str = ""
    market_path: str = "immediate"
    receiver: str | None = None  # abolish: where management and professional staff go (None: everyone leaves)
    keep_names_as_plaques: bool = False
    must_exist_reason: str = ""
    reason: str = ""

    @property
    def units(self) -> tuple[str, ...]:
        """The public institutions it names: operated on, merged, receiving staff."""
        return tuple(code for code in (self.unit, *self.sources, self.receiver) if code)


@dataclass(frozen=True)
class DemoReformPlan:
    """A plan of one region: ``key`` is one of ``CITY_PLANS`` for the city level, "local" for the others."""

    key: str
    region_code: str
    title: str
    effective_date: datetime.date
    document: DemoDocument
    operations: tuple[DemoOperation, ...]


def staff_by_category(total: int) -> dict[str, int]:
    """A unit's staff in quota by category and band, split from its total (about 15 % management, 8 % workers)."""
    management, professional, worker = _split(total, [0.15, 0.77, 0.08]) if total else (0, 0, 0)
    bands = _split(professional, [0.03, 0.12, 0.35, 0.5]) if professional else [0, 0, 0, 0]
    return {"management": management, "professional": professional, **dict(zip(BANDS, bands, strict=True)),
            "worker": worker}


def _prefix(city: DemoCity, region_code: str) -> str:
    region = city.region(region_code)
    return CITY_NAME if region.level == "city" else region.name if region.level == "county" else CITY_NAME + region.name


def _read_examples() -> list[dict[str, str]]:
    with open(DATA_DIR / "reform.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


class _Region:
    """One region's units and the part each plays in the reform (``roles``: credit code → role)."""

    def __init__(self, city: DemoCity, region_code: str) -> None:
        self.code = region_code
        self.level = city.region(region_code).level
        self.prefix = _prefix(city, region_code)
        self.public = [unit for unit in city.institutions
                       if unit.region_code == region_code and unit.kind == InstitutionKind.PUBLIC_INSTITUTION]
        self.by_name = {unit.name: unit for unit in self.public}
        self.agencies = [unit for unit in city.institutions
                         if unit.region_code == region_code and unit.kind == InstitutionKind.AGENCY]
        self.roles: dict[str, str] = {}
        self.sources: dict[str, list[str]] = defaultdict(list)  # survivor → merged units
        self.abolished: list[tuple[str, str | None]] = []  # (unit, receiver)
        self.ends = 0  # institutions fewer so far (units ended or devolved away, less units formed or received)
        self.cap = city.region(region_code).institution_cap

    def named(self, template: str) -> DemoInstitution:
        return self.by_name[self.prefix + template]

    def agency(self, suffix: str) -> DemoInstitution:
        return next(unit for unit in self.agencies if unit.name.endswith(suffix))

    def free(self, unit: DemoInstitution) -> bool:
        return unit.credit_code not in self.roles


class _MergeFamily:
    """Mergers inside groups of like units: the largest of a group takes in the smallest, up to ``limit`` each, one
    survivor filled before the next group's turn."""

    def __init__(self, region: _Region, groups: list[list[DemoInstitution]], limit: int) -> None:
        self.region, self.limit = region, limit
        self.groups = [sorted(group, key=lambda unit: (-unit.planned_quota, unit.credit_code)) for group in groups
                       if len(group) >= 2]
        self.turn = 0

    def next(self) -> bool:
        region = self.region
        for offset in range(len(self.groups)):
            group = self.groups[(self.turn + offset) % len(self.groups)]
            survivor = next((unit for unit in group if region.roles.get(unit.credit_code) == "survivor"
                             and len(region.sources[unit.credit_code]) < self.limit), None)
            free = [unit for unit in group if region.free(unit)]
            if survivor is None and len(free) >= 2:
                survivor = free.pop(0)
            if survivor is None or not free:
                continue
            source = free[-1]
            region.roles[survivor.credit_code] = "survivor"
            region.roles[source.credit_code] = "source"
            region.sources[survivor.credit_code].append(source.credit_code)
            region.ends += 1
            full = len(region.sources[survivor.credit_code]) >= self.limit
            self.turn = (self.turn + offset + (1 if full else 0)) % len(self.groups)  # fill a survivor, then go on
            return True
        return False


class _AbolishFamily:
    """Units without a reserved class or a reason to exist, of at most ``limit`` quotas (None: any), abolished
    smallest first; their staff go to the largest unit of their agency."""

    def __init__(self, region: _Region, rng: random.Random, limit: int | None) -> None:
        self.region = region
        self.candidates = [unit for unit in region.public if unit.reserved_class == ReservedClass.NONE
                           and unit.must_exist_reason == MustExistReason.NONE
                           and (limit is None or unit.planned_quota <= limit)]
        rng.shuffle(self.candidates)
        self.candidates.sort(key=lambda unit: unit.planned_quota)

    def next(self) -> bool:
        region = self.region
        while self.candidates:
            unit = self.candidates.pop(0)
            if not region.free(unit):
                continue
            region.roles[unit.credit_code] = "abolished"
            region.abolished.append((unit.credit_code, _receiver(region, unit)))
            region.ends += 1
            return True
        return False


def _receiver(region: _Region, unit: DemoInstitution) -> str | None:
    """The largest unit of the same agency that neither ends nor changes in the reform but receives staff."""
    peers = [peer for peer in region.public if peer.supervisor_code == unit.supervisor_code
             and peer.credit_code != unit.credit_code and region.roles.get(peer.credit_code) in (None, "receiver")]
    if not peers:
        return None
    receiver = max(peers, key=lambda peer: (peer.planned_quota, peer.credit_code))
    region.roles[receiver.credit_code] = "receiver"
    return receiver.credit_code


def _school_kind(name: str) -> str:
    suffixes = (("幼儿园", "kindergarten"), ("中学校", "secondary"), ("小学", "primary"), ("中学", "secondary"))
    for suffix, kind in suffixes:
        if name.endswith(suffix):
            return kind
    return ""


def _ordinary(region: _Region, needed: int, rng: random.Random) -> int:
    """Mergers and abolitions, a family at a time in turn, until ``needed`` more units end in the region; returns how
    many it found. When those run out (a lean region cut hard, as 松北区), wider ones follow: any unit of an agency
    into its largest (but hospitals, disease control and township units), and abolitions of any size."""
    by_agency: dict[str, list[DemoInstitution]] = defaultdict(list)  # service units, by agency
    any_by_agency: dict[str, list[DemoInstitution]] = defaultdict(list)
    schools: dict[str, list[DemoInstitution]] = defaultdict(list)
    for unit in region.public:
        if unit.reserved_class in (ReservedClass.NONE, ReservedClass.BASIC_PUBLIC_SERVICE):
            by_agency[unit.supervisor_code].append(unit)
        elif unit.reserved_class == ReservedClass.SCHOOL and _school_kind(unit.name):
            schools[_school_kind(unit.name)].append(unit)
        if unit.reserved_class not in KEPT_WHOLE:
            any_by_agency[unit.supervisor_code].append(unit)
    agency_groups = [by_agency[code] for code in sorted(by_agency)]
    rng.shuffle(agency_groups)
    law = [unit for unit in region.public if unit.reserved_class == ReservedClass.LAW_ENFORCEMENT]
    rounds = [
        [_MergeFamily(region, agency_groups, MAX_SOURCES["group"]),
         _MergeFamily(region, [schools[kind] for kind in sorted(schools)], MAX_SOURCES["school"]),
         _AbolishFamily(region, rng, ABOLISH_AT_MOST[region.level]),
         _MergeFamily(region, [law], MAX_SOURCES["law"])],
        [_MergeFamily(region, [any_by_agency[code] for code in sorted(any_by_agency)], MAX_SOURCES["wider"]),
         _AbolishFamily(region, rng, None)],
    ]
    done = 0
    for families in rounds:
        while done < needed and families:
            for family in list(families):
                if done >= needed:
                    break
                if family.next():
                    done += 1
                else:
                    families.remove(family)
    return done


def _required_reductions(regions: dict[str, _Region]) -> dict[str, int]:
    """Region code → institutions fewer after the reform (the units devolved to a region count as one fewer ended):
    each level by the article's share of what it had, 松北区 to 23 (first of its level: should a city of another
    seed lack the units, what it cannot end is left to the other districts). The rest of a level's share first brings
    each region within its institution cap (one standard for all), then is split over its regions by what they have
    left (largest remainders). Raises ``ValueError`` when the share cannot bring every region within its cap."""
    out: dict[str, int] = {}
    for level, (share, _quotas) in ARTICLE.items():
        codes = [code for code, region in regions.items() if region.level == level]
        before = {code: len(regions[code].public) for code in codes}
        total = round(sum(before.values()) * share / 100)
        if SONGBEI in codes:
            out[SONGBEI] = before[SONGBEI] - SONGBEI_AFTER
            total -= out[SONGBEI]
            codes.remove(SONGBEI)
        over = {code: max(before[code] - regions[code].cap, 0) if regions[code].cap is not None else 0
                for code in codes}
        if sum(over.values()) > total:
            raise ValueError(f"{share} % fewer institutions in the {level} level cannot bring its regions within their "
                             f"caps: {sum(over.values())} over them, {total} to end")
        rest = _split(total - sum(over.values()), [before[code] - over[code] for code in codes])
        for code, part in zip(codes, rest, strict=True):
            out[code] = over[code] + part
    return out


def _document(city: DemoCity, region_code: str, title: str, serial: int, day: datetime.date) -> DemoDocument:
    """The plan's approval document: the region's committee (哈编发 for the city level), 2021, ``serial``."""
    issuing = next(document for document in city.documents if document.region_code == region_code
                   and document.office_code.endswith("编发") and document.office_code != "哈编办发")
    issued = day - datetime.timedelta(days=10)
    return DemoDocument(region_code=region_code, issuer=issuing.issuer, office_code=issuing.office_code, year=2021,
                        serial=serial, kind=DocumentKind.REPLY, title=title, date_issued=issued,
                        date_effective=issued)


Operations = dict[tuple[str, str], list[DemoOperation]]  # (region code, plan key) → operations


def _example(region: _Region, regions: dict[str, _Region], key: str, unit: DemoInstitution, row: dict[str, str],
             operations: Operations) -> None:
    """One of the article's examples (a row of reform.csv other than a merger, which ``_mergers`` gathers)."""
    kind, code = row["kind"], region.code
    if kind == "devolve":
        receiving = regions[row["region"]]
        region.ends += 1
        receiving.ends -= 1
        operations[(code, key)] += [
            DemoOperation("devolve", unit.credit_code, new_region=row["region"], reason="整建制下放属地管理（示意）"),
            DemoOperation("change_supervisor", unit.credit_code,
                          new_supervisor=receiving.agency(row["supervisor"]).credit_code,
                          reason="下放后由属地主管部门管理（示意）")]
    elif kind == "abolish":
        region.ends += 1
        operations[(code, key)].append(DemoOperation("abolish", unit.credit_code, receiver=_receiver(region, unit),
                                                     reason="后勤服务社会化，予以撤销（示意）"))
    elif kind == "marketise":
        operations[(code, key)].append(DemoOperation("marketise", unit.credit_code, market_path=row["market_path"],
                                                     reason="稳步推进转企改制（示意）"))
    elif kind == "remove_plaque":
        operations[(code, key)].append(DemoOperation("remove_plaque", unit.credit_code,
                                                     plaque=region.prefix + row["plaque"],
                                                     reason="撤销研究所牌子（示意）"))
    else:
        raise ValueError(f"reform.csv: unknown kind {kind!r}")


def _examples(city: DemoCity, regions: dict[str, _Region], operations: Operations) -> None:
    """The article's examples (reform.csv). Every unit they name is marked first, so that no receiver of staff is
    chosen among them; mergers come first in their plans."""
    city_code = city.regions[0].code
    rows = []
    for row in _read_examples():
        districts = [code for code, region in regions.items() if region.level == "district"]
        for code in districts if row["plan"] == "district" else [city_code]:
            region = regions[code]
            if region.prefix + row["unit"] not in region.by_name:
                continue  # the district has no such unit
            for name in (row["unit"], row["into"]):
                if name and not name.startswith("+"):
                    region.roles[region.named(name).credit_code] = "fixed"
            rows.append((region, "local" if row["plan"] == "district" else row["plan"], region.named(row["unit"]), row))
    merges: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for region, key, unit, row in rows:
        if row["kind"] == "merge":
            merges[(region.code, key, row["into"])].append(unit.credit_code)
            region.ends += 1
        else:
            _example(region, regions, key, unit, row, operations)
    for (code, key, into), sources in merges.items():
        region = regions[code]
        if into.startswith("+"):
            region.ends -= 1
            merger = DemoOperation("merge", None, tuple(sources), new_name=region.prefix + into[1:],
                                   must_exist_reason=MustExistReason.BASIC_PUBLIC_SERVICE,
                                   reason="五险合一，整合组建（示意）")
        else:
            merger = DemoOperation("merge", region.named(into).credit_code, tuple(sources), keep_names_as_plaques=True,
                                   reason="职能相近，整合（示意）")
        operations[(code, key)].insert(0, merger)


def plan_reform(city: DemoCity) -> tuple[DemoReformPlan, ...]:
    """The reform's plans for ``city``, in the order they take effect (no database access)."""
    city_code = city.regions[0].code
    regions = {region.code: _Region(city, region.code) for region in city.regions}
    operations: Operations = defaultdict(list)
    _examples(city, regions, operations)
    short = dict.fromkeys(ARTICLE, 0)  # per level: what a region could not end, left to the level's next regions
    for code, reduction in _required_reductions(regions).items():
        region = regions[code]
        needed = reduction - region.ends + short[region.level]
        short[region.level] = needed - _ordinary(region, needed, random.Random(f"{city.seed}:reform:{code}"))
        key = "streamline" if code == city_code else "local"
        operations[(code, key)] += [DemoOperation("merge", survivor, tuple(sources), reason=ORDINARY_MERGE)
                                    for survivor, sources in region.sources.items()]
        operations[(code, key)] += [DemoOperation("abolish", unit, receiver=receiver, reason=ORDINARY_ABOLITION)
                                    for unit, receiver in region.abolished]
    if any(short.values()):
        raise ValueError(f"too few units to end for the article's reduction: {short}")
    over = {code: region.ends for code, region in regions.items()
            if region.cap is not None and len(region.public) - region.ends > region.cap}
    if over:
        raise ValueError(f"the reform leaves regions above their caps (region: institutions fewer): {over}")
    plans = []
    for region in city.regions:
        for key in CITY_PLANS if region.level == "city" else ("local",):
            title, document_title, serial = CITY_PLANS.get(key, LOCAL_PLAN)
            day = DEVOLUTION_DAY if key == "devolution" else PLAN_DAY[region.level]
            plans.append(DemoReformPlan(
                key=key, region_code=region.code, title=title.format(name=region.name), effective_date=day,
                document=_document(city, region.code, document_title.format(name=region.name), serial, day),
                operations=tuple(operations[(region.code, key)])))
    return tuple(sorted(plans, key=lambda plan: plan.effective_date))


def expected_counts(city: DemoCity, plans: tuple[DemoReformPlan, ...]) -> dict[str, tuple[int, int]]:
    """Region code → (public institutions before the reform, after it) as the plans imply."""
    counts = {region.code: [0, 0] for region in city.regions}
    for unit in city.institutions:
        if unit.kind == InstitutionKind.PUBLIC_INSTITUTION:
            counts[unit.region_code][0] += 1
            counts[unit.region_code][1] += 1
    for plan in plans:
        for operation in plan.operations:
            if operation.kind == "merge":
                counts[plan.region_code][1] -= len(operation.sources) - (operation.unit is None)
            elif operation.kind == "abolish":
                counts[plan.region_code][1] -= 1
            elif operation.kind == "devolve":
                counts[plan.region_code][1] -= 1
                counts[operation.new_region][1] += 1
    return {code: (before, after) for code, (before, after) in counts.items()}


# -- loading ---------------------------------------------------------------------------------------------------


@dataclass
class _Loaded:
    units: dict[str, object]  # credit code → Institution
    regions: dict[str, object]  # code → Region
    staff: dict[str, dict[str, int]] = field(default_factory=dict)  # credit code → staff count by category


def is_loaded() -> bool:
    from reforms.models import ReformPlan

    return ReformPlan.objects.filter(title=CITY_PLANS["hospitals"][0]).exists()


def load(*, city: DemoCity, by=None, stdout: TextIO | None = None) -> None:
    """Carry the reform out (plans, then the ledger postings they do not cover) unless it is there already.

    The plans are the city office's: ``by`` acts when it may decide (the city office), else the system does."""
    from workflow.transitions import may_decide

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    if is_loaded():
        say("改革方案演示数据已存在 / demo reform already carried out: nothing written")
        return
    if quotas.reform_posted():  # a demo city loaded by an earlier version, whose reform has no plans
        say("改革已按旧版演示数据入账 / the reform is in the ledger already (an earlier demo): no plans written")
        return
    started = time.perf_counter()
    by = by if by is not None and may_decide(by) else None
    plans = plan_reform(city)
    with transaction.atomic():
        loaded = _staff_counts(plans, by)
        for plan in plans:
            _carry_out(plan, loaded, by)
        _pending(loaded, by)
        touched = {code for plan in plans for operation in plan.operations for code in operation.units}
        devolved = {operation.unit for plan in plans for operation in plan.operations if operation.kind == "devolve"}
        lines = quotas.reform_ledger(
            city=city, touched=touched, devolved=devolved, by=by, before=BEFORE_REFORM,
            targets={level: quota_share for level, (_count, quota_share) in ARTICLE.items()})
    operations = sum(len(plan.operations) for plan in plans)
    say(f"改革方案 / reform plans: {len(plans)} with {operations} operations, executed, and 2 of a next round in hand "
        f"({time.perf_counter() - started:.1f} s; 示意 / illustrative)")
    for line in lines:
        say(line)


def _staff_counts(plans: tuple[DemoReformPlan, ...], by) -> _Loaded:
    """The staff counts the plans move: one as of the end of 2020 for each unit merged, abolished, marketised or
    receiving staff, split by category from the registry's staff in quota (the HR bureau's figures, illustrative)."""
    from institutions.locks import lock_units
    from institutions.models import Institution, Region
    from positions.services import staff_counts_record_many

    codes = {code for plan in plans for operation in plan.operations
             for code in (*operation.units, operation.new_supervisor) if code}
    units = {unit.credit_code: unit for unit in Institution.objects.filter(credit_code__in=codes)}
    loaded = _Loaded(units=units, regions={region.code: region for region in Region.objects.all()})
    staffed = {code for plan in plans for operation in plan.operations if operation.kind in STAFFED_KINDS
               for code in operation.units}
    lock_units(units[code].pk for code in staffed)
    loaded.staff = {code: staff_by_category(units[code].staff_in_quota) for code in sorted(staffed)}
    staff_counts_record_many(counts_by_unit={units[code]: counts for code, counts in loaded.staff.items()}, by=by,
                             as_of=STAFF_DAY, note=STAFF_NOTE)
    return loaded


def _placements(operation: DemoOperation, loaded: _Loaded) -> list[dict]:
    """An abolished unit's staff: management and professional staff to the receiver (if any), the rest leave."""
    staff = loaded.staff[operation.unit]
    receiver = loaded.units[operation.receiver] if operation.receiver else None
    rows = []
    for category in ("management", "professional", "worker"):
        to = receiver if category in PLACED_CATEGORIES else None
        if category == "professional":
            rows += [{"to_institution": to, "category": category, "band": band, "count": staff[band]}
                     for band in BANDS if staff[band]]
        elif staff[category]:
            rows.append({"to_institution": to, "category": category, "count": staff[category]})
    return rows


def _fields(operation: DemoOperation, loaded: _Loaded, held: dict[int, int]) -> dict:
    """The keyword arguments of ``reform_operation_save`` for one operation."""
    units = loaded.units
    fields = {"kind": operation.kind, "institution": units[operation.unit] if operation.unit else None,
              "reason": operation.reason}
    if operation.kind == "merge":
        members = [code for code in (operation.unit, *operation.sources) if code]
        staff = sum(units[code].staff_in_quota for code in members)
        total = sum(held.get(units[code].pk, 0) for code in members)
        fields.update(sources=[units[code] for code in operation.sources], new_name=operation.new_name,
                      must_exist_reason=operation.must_exist_reason, surplus="cancel",
                      keep_names_as_plaques=operation.keep_names_as_plaques,
                      approved_total=max(staff, round(total * MERGE_KEEP)))
    elif operation.kind == "abolish":
        fields.update(surplus="reclaim", placements=_placements(operation, loaded))
    elif operation.kind == "marketise":
        fields["market_path"] = operation.market_path
    elif operation.kind == "devolve":
        fields["new_region"] = loaded.regions[operation.new_region]
    elif operation.kind == "change_supervisor":
        fields["new_supervisor"] = units[operation.new_supervisor]
    elif operation.kind == "remove_plaque":
        fields["plaque_name"] = operation.plaque
    return fields


def _pending(loaded: _Loaded, by) -> None:
    """Two plans of the next round, for the plan pages to show work in hand: 道里区's draft merging its two smallest
    units into the next one (its district office carries on with it), and 南岗区's renaming, submitted and waiting
    for the city office's decision."""
    from institutions.choices import InstitutionStatus
    from institutions.models import Institution
    from reforms import services

    def units(code: str) -> list:
        return list(Institution.objects.filter(region=loaded.regions[code], status=InstitutionStatus.ACTIVE,
                                               kind=InstitutionKind.PUBLIC_INSTITUTION).order_by("credit_code")[:3])

    survivor, *merged = units(DAOLI)
    draft = services.reform_plan_create(by=by, region=loaded.regions[DAOLI], title=NEXT_ROUND[DAOLI],
                                        effective_date=NEXT_ROUND_DAY, description=ILLUSTRATIVE)
    services.reform_operation_save(plan=draft, by=by, kind="merge", institution=survivor, sources=merged,
                                   surplus="reclaim", keep_names_as_plaques=True, reason="职能相近，整合（示意）")
    renamed = units(NANGANG)[0]
    submitted = services.reform_plan_create(by=by, region=loaded.regions[NANGANG], title=NEXT_ROUND[NANGANG],
                                            effective_date=NEXT_ROUND_DAY, description=ILLUSTRATIVE)
    services.reform_operation_save(plan=submitted, by=by, kind="rename", institution=renamed,
                                   new_name=f"{renamed.name}（更名，示意）", reason="规范名称（示意）")
    services.reform_plan_submit(plan=submitted, by=by)


def _carry_out(plan: DemoReformPlan, loaded: _Loaded, by) -> None:
    """Create the plan with its operations, submit it, approve it under its own document and execute it."""
    from institutions.models import ApprovalDocument
    from quotas.choices import HolderKind, QuotaTypeCode
    from quotas.models import QuotaAccount
    from reforms import services

    region = loaded.regions[plan.region_code]
    spec = plan.document
    document, _created = ApprovalDocument.objects.get_or_create(
        office_code=spec.office_code, year=spec.year, serial=spec.serial,
        defaults={"issuer": spec.issuer, "title": spec.title, "kind": spec.kind, "date_issued": spec.date_issued,
                  "date_effective": spec.date_effective, "region": region if region.parent_id else None})
    merged = [loaded.units[code].pk for operation in plan.operations if operation.kind == "merge"
              for code in operation.units]
    held = dict(QuotaAccount.objects.filter(
        holder_kind=HolderKind.INSTITUTION, institution_id__in=merged, is_active=True,
        quota_type__code=QuotaTypeCode.INSTITUTIONAL).values_list("institution_id", "balance"))
    reform_plan = services.reform_plan_create(by=by, region=region, title=plan.title,
                                              effective_date=plan.effective_date, description=ILLUSTRATIVE)
    for position, operation in enumerate(plan.operations, start=1):
        services.reform_operation_save(plan=reform_plan, by=by, position=position,
                                       **_fields(operation, loaded, held))
    services.reform_plan_submit(plan=reform_plan, by=by)
    services.reform_plan_approve(plan=reform_plan, by=by, document=document, note="同意（示意）")
    services.reform_plan_execute(plan=reform_plan, by=by, reason="按方案组织实施（示意）")
