"""The illustrative demo city: a Harbin-shaped registry generated from a seed, and the loader that writes it.

``generate(seed)`` builds the whole city as it stood before the 2021 reform, as frozen dataclasses, without the
database: the city level and its 18 districts and counties (real codes, names and kinds from
``demo/data/harbin_regions.csv``), about 60 approval documents, some 600 agencies, about 3,000 public institutions
(about 240 at city level and 2,000 in the counties, as in the article; about 720 in the districts, fewer than its
843, so that the reform can bring every district within its cap), internal divisions and plaques. Every unit is
active: the reform that ends, merges and devolves some of them is carried out as reform plans (``demo.reform``), not
generated. Everything comes from one
``random.Random(seed)``, so the same seed always gives an equal ``DemoCity``. Another demo (the quota ledger,
positions) regenerates the city instead of reading it back or storing anything::

    from demo.institutions import DEFAULT_SEED, generate

    city = generate(DEFAULT_SEED)
    city.planned_quotas()     # {credit code: planned approved quotas} of every unit
    for unit in city.institutions:
        unit.credit_code, unit.region_code, unit.kind, unit.quota_type, unit.planned_quota, unit.staff_in_quota
    city.regions              # DemoRegion, with illustrative temporary population, GDP and fiscal revenue
    city.documents            # DemoDocument; ``city.marker_document`` is the city's reform plan,
                              # ``city.cap_document`` the one that fixes the districts' institution caps

``planned_quota`` is the approved size the ledger demo should allocate (``quota_type`` "institutional" for public
institutions, "administrative" for agencies); ``staff_in_quota`` is mostly a little below it, exactly at it for some
units and above it (over quota) for about one in twelve. Internal-division quotas sum to at most the planned quota;
units keep to the internal-division standard and leadership posts keep to the table, but for a few divisions with a
leader too many (``OVER_POSTED_DIVISIONS``).

``load(seed=..., by=user)`` writes the city in one transaction with bulk inserts and their history rows, unless it is
already there (the city region exists together with the city's marker document), so loading twice changes nothing.
Demo document numbers use office codes 哈编发, 哈编办发 and ``<abbreviation>编发`` with serials below 100; other
demos should number their own documents from 100 up.

Only codes, names, kinds, census population and approximate area are real; every other figure is invented.
"""
from __future__ import annotations

import csv
import datetime
import random
import zlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from django.db import transaction

from institutions.choices import (
    Category,
    DocumentKind,
    FundingForm,
    InstitutionKind,
    InstitutionStatus,
    LegalPersonState,
    MustExistReason,
    Rank,
    ReservedClass,
)
from institutions.document_numbers import format_document_number
from institutions.validators import credit_code_check_character

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

DEFAULT_SEED = 2020
DATA_DIR = Path(__file__).resolve().parent / "data"
CITY_NAME = "哈尔滨市"
ILLUSTRATIVE = "演示数据仅为示意，并非官方数字 / illustrative data, not official figures"
LEVEL_LETTER = {"city": "C", "main_urban": "M", "integrated": "I", "outer_suburban": "O", "county": "U"}
INSTITUTION_CAP = {"main_urban": 74, "outer_suburban": 74, "integrated": 58}
# The document that fixes the caps (illustrative, like the others): 哈编发〔2021〕8号, ahead of the 2021 reform.
CAP_DOCUMENT = ("哈编发", 2021, 8, "关于核定各区事业单位机构限额的通知（示意）", datetime.date(2021, 3, 12))
# Public institutions per region before the reform: the article's 243 at the city level and about 2,040 in the
# counties. Not its 843 in the districts: a 21 % cut of 843 leaves about 666, more than the districts' caps hold
# (7 × 74 + 2 × 58 = 634, 松北区 at 23), so the demo's districts start from about 720.
TARGET = {"city": (243, 0), "main_urban": (89, 2), "integrated": (54, 2), "outer_suburban": (86, 2)}
COUNTY_TARGET_BASE, COUNTY_TARGET_PER_MEAN = 155, 72
# Ordinary schools that fill each region up to its target: (name pattern, size range, weight), per level.
FILLS = {
    "city": [("第{n}中学校", (120, 220), 6), ("第{n}职业高级中学校", (60, 120), 1)],
    "district": [("第{n}中学", (60, 130), 4), ("第{n}小学", (40, 90), 5), ("第{n}幼儿园", (12, 25), 1)],
    "county": [("第{n}中学", (35, 90), 4), ("第{n}小学", (20, 55), 5), ("第{n}幼儿园", (8, 18), 1)],
}
# Government-zone-integrated districts are lean: they have optional units half as often; the outer-suburban ones
# somewhat less often than the main-urban ones.
OPTIONAL_UNIT_FACTOR = {"integrated": 0.5, "outer_suburban": 0.6}
# Leadership posts (principal + deputy) by quota size, the provincial rule of docs/domain.md, "Leadership posts".
UNIT_LEADERSHIP = [(10, 1, 2), (50, 2, 3), (100, 3, 4), (200, 4, 5), (400, 5, 6), (600, 6, 7), (10**9, 7, 8)]
DIVISION_LEADERSHIP = [(5, 1, 2), (10, 2, 3), (10**9, 3, 4)]
# The internal-division standard (大处(科)制, the standards app's default table): (most quotas, most divisions); a
# division holds 8 quotas or more on average. Divisions are drawn for the unit's smaller of its planned size and its
# staff (what the reform leaves it), at 9 or more a division, so that a unit keeps to the standard after the reform.
DIVISION_LIMIT = [(15, 1), (30, 3), (50, 5), (100, 8), (200, 12), (400, 16), (10**9, 20)]
QUOTAS_PER_DIVISION = 9
# A few internal divisions with a leader more than the table allows for their size (超职数), as examples.
OVER_POSTED_DIVISIONS = 6
DIVISION_RANK = {
    Rank.DEPARTMENT_FULL: Rank.DIVISION_FULL, Rank.DEPARTMENT_DEPUTY: Rank.DIVISION_FULL,
    Rank.DIVISION_FULL: Rank.SECTION_FULL, Rank.DIVISION_DEPUTY: Rank.SECTION_FULL,
    Rank.SECTION_FULL: Rank.UNIT_FULL, Rank.SECTION_DEPUTY: Rank.UNIT_FULL,
}
DIVISION_NAMES = {
    "hospital": ["院办公室", "医务科", "护理部", "财务科", "人事科", "药剂科"],
    "school": ["办公室", "教务处", "政教处", "总务处", "教研室", "德育处"],
    "law": ["综合{s}", "法制{s}", "执法一中队", "执法二中队", "执法三中队", "督查{s}"],
    "generic": ["办公室", "综合{s}", "财务{s}", "业务一{s}", "业务二{s}", "业务三{s}"],
}
TOWN_FIRST = "永兴新民太长红德福宏安庆东富和康丰建团双河山松柳榆杨金石青白胜仁义莲沙"
TOWN_SECOND = "安兴和平发丰胜利阳河山源泉林乐合顺隆福宁岗甸屯岭沟台堡营"
STREET_FIRST = "新华安和康光民建友红文景阳明通达兴顺"
STREET_SECOND = "安华兴和民阳明光德平园街"


@dataclass(frozen=True)
class DemoRegion:
    code: str
    name: str
    kind: str
    parent_code: str | None
    institution_cap: int | None
    resident_population: int  # 2010 census, as published by the city
    area_km2: int  # approximate
    temporary_population: int  # illustrative
    gdp: Decimal  # 亿元, illustrative
    fiscal_revenue_2018: Decimal  # 亿元, illustrative
    fiscal_revenue_2019: Decimal  # 亿元, illustrative

    @property
    def level(self) -> str:
        return "city" if self.kind == "city" else "county" if self.kind == "county" else "district"


@dataclass(frozen=True)
class DemoDocument:
    region_code: str
    issuer: str
    office_code: str
    year: int
    serial: int
    kind: str
    title: str
    date_issued: datetime.date
    date_effective: datetime.date

    @property
    def number(self) -> str:
        return format_document_number(self.office_code, self.year, self.serial)


@dataclass(frozen=True)
class DemoInstitution:
    credit_code: str
    region_code: str
    kind: str
    name: str
    short_name: str
    supervisor_code: str | None  # credit code of the supervising agency, same region
    category: str
    funding_form: str
    rank: str
    reserved_class: str
    must_exist_reason: str
    established_on: datetime.date
    established_document: str | None  # document number
    legal_person_state: str
    leadership_principal: int
    leadership_deputy: int
    quota_type: str  # "institutional" or "administrative", a quotas.QuotaType code
    planned_quota: int  # the approved size a ledger demo allocates
    staff_in_quota: int


@dataclass(frozen=True)
class DemoDivision:
    institution_code: str
    name: str
    rank: str
    quota_count: int
    leadership_principal: int
    leadership_deputy: int


@dataclass(frozen=True)
class DemoPlaque:
    institution_code: str
    name: str
    started_on: datetime.date
    ended_on: datetime.date | None
    document: str | None


@dataclass(frozen=True)
class DemoCity:
    seed: int
    regions: tuple[DemoRegion, ...]
    documents: tuple[DemoDocument, ...]
    institutions: tuple[DemoInstitution, ...]  # agencies first, then public institutions
    divisions: tuple[DemoDivision, ...]
    plaques: tuple[DemoPlaque, ...]

    @property
    def marker_document(self) -> DemoDocument:
        """The city's reform plan, the first document generated: its presence marks the demo as loaded."""
        return self.documents[0]

    @property
    def cap_document(self) -> DemoDocument:
        """The city committee's notice fixing the districts' institution caps (``CAP_DOCUMENT``)."""
        office_code, year, serial, *_rest = CAP_DOCUMENT
        return next(document for document in self.documents
                    if (document.office_code, document.year, document.serial) == (office_code, year, serial))

    def region(self, code: str) -> DemoRegion:
        return next(region for region in self.regions if region.code == code)

    def planned_quotas(self) -> dict[str, int]:
        return {unit.credit_code: unit.planned_quota for unit in self.institutions if unit.planned_quota}

    def counts(self) -> dict[str, dict[str, int]]:
        """Per level ("city", "district", "county"): agencies and public institutions (all active before the reform)."""
        level_of = {region.code: region.level for region in self.regions}
        result = {level: {"agencies": 0, "public": 0} for level in ("city", "district", "county")}
        for unit in self.institutions:
            row = result[level_of[unit.region_code]]
            row["agencies" if unit.kind == InstitutionKind.AGENCY else "public"] += 1
        return result


def _read_table(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + digits[rest]
    else:
        tail = ("一" if rest < 20 else "") + _chinese_number(rest)
    return digits[n // 100] + "百" + tail


def _range(text: str) -> tuple[int, int]:
    low, high = text.split("-")
    return int(low), int(high)


def _leadership(rng: random.Random, quota: int, table: list[tuple[int, int, int]]) -> tuple[int, int]:
    """(principal, deputy) leadership posts for a unit or division of ``quota`` quotas."""
    for ceiling, low, high in table:
        if quota <= ceiling:
            posts = rng.randint(low, high)
            return 1, posts - 1
    raise AssertionError("unreachable")


def _staff(rng: random.Random, planned: int) -> int:
    """Staff in quota: over quota for about 1 unit in 12, exactly at quota for 1 in 8, else a small vacancy."""
    draw = rng.random()
    if draw < 0.08:
        return planned + rng.randint(1, max(1, planned // 20 + 1))
    if draw < 0.205:
        return planned
    return max(0, planned - rng.randint(1, max(1, planned // 8)))


def _date(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _regions(rng: random.Random) -> tuple[DemoRegion, ...]:
    """The CSV's regions with illustrative indicators; the city row's indicators are the totals of its areas."""
    rows = _read_table("harbin_regions.csv")
    per_capita = {"main_urban": (85_000, 120_000), "integrated": (100_000, 150_000),
                  "outer_suburban": (35_000, 50_000), "county": (25_000, 42_000)}
    temporary_share = {"main_urban": (8, 15), "integrated": (10, 20), "outer_suburban": (3, 6), "county": (1, 3)}
    cent = Decimal("0.01")
    regions = []
    for row in rows[1:]:
        kind, population = row["kind"], int(row["resident_population_2010_census"])
        gdp = Decimal(population * rng.randint(*per_capita[kind])) / Decimal(10**8)
        revenue_2018 = gdp * Decimal(rng.randint(40, 80)) / Decimal(1000)
        revenue_2019 = revenue_2018 * Decimal(rng.randint(95, 108)) / Decimal(100)
        regions.append(DemoRegion(
            code=row["code"], name=row["name"], kind=kind, parent_code=rows[0]["code"],
            institution_cap=INSTITUTION_CAP.get(kind), resident_population=population,
            area_km2=int(row["area_km2_approx"]),
            temporary_population=population * rng.randint(*temporary_share[kind]) // 100,
            gdp=gdp.quantize(cent), fiscal_revenue_2018=revenue_2018.quantize(cent),
            fiscal_revenue_2019=revenue_2019.quantize(cent),
        ))
    top = rows[0]
    city = DemoRegion(
        code=top["code"], name=top["name"], kind="city", parent_code=None, institution_cap=None,
        resident_population=int(top["resident_population_2010_census"]), area_km2=int(top["area_km2_approx"]),
        temporary_population=sum(region.temporary_population for region in regions),
        gdp=sum((region.gdp for region in regions), Decimal("0")),
        fiscal_revenue_2018=sum((region.fiscal_revenue_2018 for region in regions), Decimal("0")),
        fiscal_revenue_2019=sum((region.fiscal_revenue_2019 for region in regions), Decimal("0")),
    )
    return (city, *regions)


@dataclass
class _RegionContext:
    region: DemoRegion
    letter: str
    prefix: str  # 哈尔滨市 / 哈尔滨市道里区 / 依兰县
    display: str  # 哈尔滨市 / 道里区 / 依兰县
    agencies: dict[str, str] = field(default_factory=dict)  # key -> credit code
    documents: dict[str, DemoDocument] = field(default_factory=dict)  # purpose -> document
    names: set[str] = field(default_factory=set)  # names of active units


AGENCY_FALLBACK = {"eco": "gov_office", "affairs": "gov_office", "sport": "culture", "science": "industry",
                   "ethnic": "united_front", "forestry": "agri"}


class _Builder:
    """Accumulates one city; every draw goes through ``self.rng`` in a fixed order."""

    def __init__(self, rng: random.Random, regions: tuple[DemoRegion, ...]) -> None:
        self.rng = rng
        self.regions = regions
        self.agency_rows = _read_table("agencies.csv")
        self.unit_rows = _read_table("units.csv")
        self.document_rows = _read_table("documents.csv")
        self.codes: set[str] = set()
        self.documents: list[DemoDocument] = []
        self.institutions: list[DemoInstitution] = []
        self.public: list[tuple[DemoInstitution, str, str]] = []  # unit, plaque suffix, division family
        first_chars = [region.name[0] for region in regions]
        self.abbreviation = {
            region.code: region.name[0] if first_chars.count(region.name[0]) == 1 else region.name[:2]
            for region in regions
        }
        county_populations = [region.resident_population for region in regions if region.kind == "county"]
        self.mean_county_population = sum(county_populations) / len(county_populations)

    # -- identifiers -------------------------------------------------------------------------------------------
    def credit_code(self, kind: str, region_code: str) -> str:
        while True:
            body = f"{self.rng.randrange(10**8):08d}"
            total = sum(int(digit) * weight for digit, weight in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            check = 11 - total % 11
            organisation_code = body + ("X" if check == 10 else "0" if check == 11 else str(check))
            first17 = ("11" if kind == InstitutionKind.AGENCY else "12") + region_code + organisation_code
            code = first17 + credit_code_check_character(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    # -- per region --------------------------------------------------------------------------------------------
    def add_region(self, region: DemoRegion) -> _RegionContext:
        rng = self.rng
        letter = LEVEL_LETTER[region.kind]
        if region.kind == "city":
            context = _RegionContext(region, letter, CITY_NAME, CITY_NAME)
        elif region.kind == "county":
            context = _RegionContext(region, letter, region.name, region.name)
        else:
            context = _RegionContext(region, letter, CITY_NAME + region.name, region.name)
        self.add_documents(context)
        for row in self.agency_rows:
            if letter in row["levels"]:
                context.agencies[row["key"]] = self.add_agency(context, row)
        if region.kind == "county":
            target = round(COUNTY_TARGET_BASE + COUNTY_TARGET_PER_MEAN * region.resident_population
                           / self.mean_county_population)
        else:
            base, spread = TARGET[region.kind]
            target = base + rng.randint(-spread, spread)
        places = self.places(region, target)
        factor = OPTIONAL_UNIT_FACTOR.get(region.kind, 1)
        for row in self.unit_rows:
            per_place = row["levels"] in ("T", "S")
            if per_place and (row["levels"] == "T") != (letter in "OU"):
                continue
            if not per_place and letter not in row["levels"]:
                continue
            probability = float(row["probability"])
            probability *= factor if probability < 1 else 1
            for place in places if per_place else [""]:
                if rng.random() < probability:
                    self.add_public(context, row, place=place)
        fills = FILLS[region.level]
        ordinals = dict.fromkeys((pattern for pattern, _size, _weight in fills), 0)
        missing = target - sum(1 for unit, _p, _f in self.public if unit.region_code == region.code)
        for _ in range(max(0, missing)):
            pattern, size, _weight = rng.choices(fills, weights=[weight for *_rest, weight in fills])[0]
            ordinals[pattern] += 1
            self.add_public(context, {
                "name": pattern.replace("{n}", _chinese_number(ordinals[pattern])), "agency": "education",
                "reserved": "school", "category": "public_welfare_1", "funding": "full", "must_exist": "none",
                "size_city": f"{size[0]}-{size[1]}", "size_local": f"{size[0]}-{size[1]}", "plaque": "", "new": "",
            })
        return context

    def places(self, region: DemoRegion, target: int) -> list[str]:
        """Invented township names (counties, outer-suburban districts) or street names (other districts)."""
        rng = self.rng
        if region.kind == "city":
            return []
        if region.kind in ("main_urban", "integrated"):
            count = rng.randint(8, 12) if region.kind == "main_urban" else rng.randint(3, 4)
            first, second, suffixes = STREET_FIRST, STREET_SECOND, [("街道", 1)]
        else:
            count = rng.randint(4, 5) if region.kind == "outer_suburban" else max(8, min(22, (target - 90) // 6))
            first, second, suffixes = TOWN_FIRST, TOWN_SECOND, [("镇", 65), ("乡", 30), ("朝鲜族乡", 5)]
        names: list[str] = []
        while len(names) < count:
            stem = rng.choice(first) + rng.choice(second)
            suffix = rng.choices([s for s, _w in suffixes], weights=[w for _s, w in suffixes])[0]
            if stem[0] != stem[1] and all(not name.startswith(stem) for name in names):
                names.append(stem + suffix)
        return names

    def add_documents(self, context: _RegionContext) -> None:
        """The region's documents, numbered in the order they were issued; the city's reform plan comes first."""
        rng, region = self.rng, context.region
        if region.kind == "city":
            offices = {"committee": ("哈编发", "中共哈尔滨市委机构编制委员会"),
                       "office": ("哈编办发", "中共哈尔滨市委机构编制委员会办公室")}
        else:
            committee = (self.abbreviation[region.code] + "编发", f"中共{context.prefix}委机构编制委员会")
            offices = {"committee": committee, "office": committee}
        drafts = []
        for row in self.document_rows:
            if ("C" if region.kind == "city" else "L") not in row["levels"]:
                continue
            year, (first, last) = int(row["year"]), _range(row["months"])
            issued = _date(rng, datetime.date(year, first, 1), datetime.date(year, last, 28))
            drafts.append((issued, row["purpose"], *offices[row["office"]], row["kind"], year, row["title"]))
        serials: dict[tuple[str, int], int] = {}
        for issued, purpose, office_code, issuer, kind, year, title in sorted(drafts):
            serials[(office_code, year)] = serials.get((office_code, year), rng.randint(1, 9)) + rng.randint(1, 6)
            context.documents[purpose] = DemoDocument(
                region_code=region.code, issuer=issuer, office_code=office_code, year=year,
                serial=serials[(office_code, year)], kind=DocumentKind(kind),
                title=title.replace("{name}", context.display),
                date_issued=issued, date_effective=issued + datetime.timedelta(days=rng.randint(0, 10)),
            )
        self.documents.extend(context.documents[row[1]] for row in drafts)

    def add_agency(self, context: _RegionContext, row: dict[str, str]) -> str:
        rng, region = self.rng, context.region
        planned = rng.randint(40, 160) if region.kind == "city" else rng.randint(15, 60)
        principal, deputy = _leadership(rng, planned, UNIT_LEADERSHIP)
        name = row["name"].replace("{p}", context.prefix)
        unit = DemoInstitution(
            credit_code=self.credit_code(InstitutionKind.AGENCY, region.code), region_code=region.code,
            kind=InstitutionKind.AGENCY, name=name, short_name=self.short_name(context, name), supervisor_code=None,
            category=Category.UNCLASSIFIED, funding_form=FundingForm.FULL,
            rank={"C": Rank.DEPARTMENT_FULL, "U": Rank.SECTION_FULL}.get(context.letter, Rank.DIVISION_FULL),
            reserved_class=ReservedClass.NONE, must_exist_reason=MustExistReason.NONE,
            established_on=_date(rng, datetime.date(1980, 1, 1), datetime.date(2018, 12, 31)),
            established_document=None, legal_person_state=LegalPersonState.NOT_APPLICABLE,
            leadership_principal=principal, leadership_deputy=deputy, quota_type="administrative",
            planned_quota=planned, staff_in_quota=_staff(rng, planned),
        )
        self.institutions.append(unit)
        context.names.add(name)
        return unit.credit_code

    def short_name(self, context: _RegionContext, name: str) -> str:
        """市档案馆, 道里区档案馆; counties' names are already short."""
        short = name.removeprefix("中共")
        if context.letter != "U":
            short = short.replace(CITY_NAME, "市" if context.letter == "C" else "", 1)
        return "" if short == name else short

    def add_public(self, context: _RegionContext, row: dict[str, str], *, place: str = "") -> None:
        rng, region = self.rng, context.region
        template = row["name"]
        if template.startswith("="):
            name = template[1:]
        elif "{p}" in template:
            name = template.replace("{p}", context.prefix).replace("{t}", place)
        else:
            name = context.prefix + template
        if template.endswith("{t}卫生院") and rng.random() < 0.3:
            name = name.replace("卫生院", "中心卫生院")
        if name in context.names:
            return
        context.names.add(name)
        low, high = _range(row["size_city"] if context.letter == "C" else row["size_local"])
        planned = max(1, round(rng.randint(low, high) * (0.8 if region.kind == "integrated" else 1)))
        agency = row["agency"]
        while agency not in context.agencies:
            agency = AGENCY_FALLBACK[agency]
        reserved = row["reserved"]
        if reserved == ReservedClass.SCHOOL:
            rank = Rank.UNRANKED
        elif reserved == ReservedClass.TOWNSHIP or place:
            rank = Rank.UNIT_FULL
        elif context.letter == "C":
            big = reserved == ReservedClass.PUBLIC_HOSPITAL or planned >= 300
            rank = Rank.DIVISION_FULL if big else rng.choices(
                [Rank.DIVISION_FULL, Rank.DIVISION_DEPUTY, Rank.SECTION_FULL], weights=[3, 5, 2])[0]
        else:
            rank = rng.choices([Rank.SECTION_FULL, Rank.SECTION_DEPUTY, Rank.UNIT_FULL], weights=[6, 3, 1])[0]
        established_document = None
        established_on = _date(rng, datetime.date(1952, 1, 1), datetime.date(2017, 12, 31))
        new_by = context.documents.get(row["new"]) if row["new"] else None
        if new_by:
            established_document, established_on = new_by.number, new_by.date_effective
        if new_by and new_by.year == 2020 and rng.random() < 0.5:
            legal_person = LegalPersonState.UNREGISTERED
        else:
            legal_person = LegalPersonState.UNREGISTERED if rng.random() < 0.02 else LegalPersonState.REGISTERED
        principal, deputy = _leadership(rng, planned, UNIT_LEADERSHIP)
        staff = _staff(rng, planned)
        unit = DemoInstitution(
            credit_code=self.credit_code(InstitutionKind.PUBLIC_INSTITUTION, region.code), region_code=region.code,
            kind=InstitutionKind.PUBLIC_INSTITUTION, name=name, short_name=self.short_name(context, name),
            supervisor_code=context.agencies[agency], category=Category(row["category"]),
            funding_form=FundingForm(row["funding"]), rank=rank, reserved_class=ReservedClass(reserved),
            must_exist_reason=MustExistReason(row["must_exist"]), established_on=established_on,
            established_document=established_document, legal_person_state=legal_person, leadership_principal=principal,
            leadership_deputy=deputy, quota_type="institutional", planned_quota=planned, staff_in_quota=staff,
        )
        self.institutions.append(unit)
        if reserved == ReservedClass.PUBLIC_HOSPITAL:
            family = "hospital"
        elif reserved == ReservedClass.LAW_ENFORCEMENT:
            family = "law"
        else:
            family = "school" if reserved == ReservedClass.SCHOOL else "generic"
        self.public.append((unit, row["plaque"], family))

    # -- divisions and plaques -------------------------------------------------------------------------------
    def divisions(self) -> list[DemoDivision]:
        """2-6 divisions for about a third of the active public institutions, quotas within the planned size.

        A unit has no more divisions than the internal-division standard allows for the smaller of its planned size
        and its staff, and at least ``QUOTAS_PER_DIVISION`` of those quotas a division; each division's leaders are
        within the table for its quotas, but for ``OVER_POSTED_DIVISIONS`` of them, one leader over (超职数)."""
        rng = self.rng
        active = self.public
        room = [min(unit.planned_quota, unit.staff_in_quota) for unit, _p, _f in active]
        eligible = [index for index in range(len(active)) if room[index] >= 2 * QUOTAS_PER_DIVISION]
        chosen = sorted(rng.sample(eligible, min(len(eligible), round(len(active) / 3))))
        result = []
        for index in chosen:
            unit, _plaque, family = active[index]
            most = next(divisions for ceiling, divisions in DIVISION_LIMIT if room[index] <= ceiling)
            count = rng.randint(2, min(6, most, room[index] // QUOTAS_PER_DIVISION))
            suffix = "科" if unit.rank.startswith(("department", "division")) else "股"
            total = max(count, round(unit.planned_quota * rng.uniform(0.6, 0.95)))
            weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
            quotas = [1 + int((total - count) * weight / sum(weights)) for weight in weights]
            for name, quota in zip(DIVISION_NAMES[family][:count], quotas, strict=True):
                principal, deputy = _leadership(rng, quota, DIVISION_LEADERSHIP)
                result.append(DemoDivision(
                    institution_code=unit.credit_code, name=name.replace("{s}", suffix),
                    rank=DIVISION_RANK.get(unit.rank, Rank.UNRANKED), quota_count=quota,
                    leadership_principal=principal, leadership_deputy=deputy,
                ))
        for index in rng.sample(range(len(result)), min(OVER_POSTED_DIVISIONS, len(result))):
            division = result[index]
            most = next(high for ceiling, _low, high in DIVISION_LEADERSHIP if division.quota_count <= ceiling)
            result[index] = replace(division, leadership_principal=1, leadership_deputy=most)
        return result

    def plaques(self, contexts: dict[str, _RegionContext]) -> list[DemoPlaque]:
        """Extra names for about 3% of the public institutions. The research-institute plaques of four city hospitals
        (a leading "-" in units.csv) are always there: the 2021 reform takes them down (demo/data/reform.csv)."""
        rng = self.rng
        result = []
        for unit, plaque, _family in self.public:
            if not plaque:
                continue
            context = contexts[unit.region_code]
            removed_in_reform = plaque.startswith("-")
            if (removed_in_reform and context.letter != "C") or (not removed_in_reform and rng.random() >= 0.45):
                continue
            adjust = context.documents["adjust"]
            first = max(unit.established_on, datetime.date(1990, 1, 1))
            started = _date(rng, first, max(first, datetime.date(2018, 12, 31)))
            ended = not removed_in_reform and rng.random() < 0.15
            put_up_in_reform = not ended and not removed_in_reform and rng.random() < 0.3
            result.append(DemoPlaque(
                institution_code=unit.credit_code, name=context.prefix + plaque.lstrip("-"),
                started_on=adjust.date_effective if put_up_in_reform else started,
                ended_on=adjust.date_effective if ended else None,
                document=adjust.number if ended or put_up_in_reform else None,
            ))
        return result


def _cap_document(city_region: DemoRegion) -> DemoDocument:
    """The document fixing the caps of ``INSTITUTION_CAP``: the city committee's, before the reform (no draw)."""
    office_code, year, serial, title, day = CAP_DOCUMENT
    return DemoDocument(region_code=city_region.code, issuer="中共哈尔滨市委机构编制委员会", office_code=office_code,
                        year=year, serial=serial, kind=DocumentKind.NOTICE, title=title, date_issued=day,
                        date_effective=day)


def generate(seed: int = DEFAULT_SEED) -> DemoCity:
    """The demo city for ``seed``; equal seeds give equal cities. No database access."""
    rng = random.Random(seed)
    regions = _regions(rng)
    builder = _Builder(rng, regions)
    contexts = {region.code: builder.add_region(region) for region in regions}
    return DemoCity(
        seed=seed, regions=regions, documents=(*builder.documents, _cap_document(regions[0])),
        institutions=tuple(builder.institutions), divisions=tuple(builder.divisions()),
        plaques=tuple(builder.plaques(contexts)),
    )


# -- loading ---------------------------------------------------------------------------------------------------

CHANGE_REASON = "演示数据（示意）/ illustrative demo data"


@dataclass(frozen=True)
class LoadSummary:
    created: bool  # False: the demo was already there and nothing was written
    city: DemoCity = field(repr=False)

    def lines(self) -> list[str]:
        labels = {"city": "市本级 city level", "district": "区 districts", "county": "县（市） counties"}
        lines = [ILLUSTRATIVE]
        lines.append(
            f"已载入演示城市 / demo city loaded (seed {self.city.seed})" if self.created
            else f"演示城市已存在，未作改动 / demo city already loaded, nothing changed (seed {self.city.seed})"
        )
        lines.append(f"  区划 regions: {len(self.city.regions)}; 批文 approval documents: {len(self.city.documents)}")
        for level, row in self.city.counts().items():
            lines.append(
                f"  {labels[level]}: 行政机关 agencies {row['agencies']}, 事业单位 public institutions "
                f"{row['public']}"
            )
        lines.append(
            f"  内设机构 internal divisions: {len(self.city.divisions)}; 加挂牌子 plaques: {len(self.city.plaques)}"
        )
        return lines


def is_loaded(city: DemoCity) -> bool:
    """The demo is there when the city region exists with the city's marker document (its reform plan)."""
    from institutions.models import ApprovalDocument, Region

    city_region = city.regions[0]
    return (
        Region.objects.filter(code=city_region.code).exists()
        and ApprovalDocument.objects.filter(number=city.marker_document.number).exists()
    )


STREETS = ("中央大街", "红军街", "西大直街", "友谊路", "长江路", "学府路", "和平路", "文昌街", "黄河路", "新阳路")


def registered_particulars(unit: DemoInstitution, region_name: str) -> dict:
    """A public institution's registered address and opening funds (住所, 开办资金), ``region_name`` empty for the
    city level: illustrative, derived from its credit code (not from the city's random draw, so adding them changed
    nothing else of the city)."""
    if unit.kind != InstitutionKind.PUBLIC_INSTITUTION:
        return {}
    digest = zlib.crc32(unit.credit_code.encode())
    street = STREETS[digest % len(STREETS)]
    return {"address": f"黑龙江省哈尔滨市{region_name}{street}{digest % 397 + 1}号（示意）",
            "opening_funds": Decimal(10 + digest % 191)}


def load(*, seed: int = DEFAULT_SEED, by: AbstractBaseUser | None = None, stdout: TextIO | None = None) -> LoadSummary:
    """Write the demo city for ``seed`` in one transaction, unless it is already loaded (then write nothing).

    Bulk inserts with their history rows (``by``, the acting user if any, is their history user). Regions that
    already exist under a demo code are kept as they are and reused.
    """
    city = generate(seed)
    with transaction.atomic():
        if is_loaded(city):
            created = False
        else:
            _write(city, by)
            created = True
    summary = LoadSummary(created=created, city=city)
    if stdout is not None:
        stdout.write("\n".join(summary.lines()) + "\n")
    return summary


def _write(city: DemoCity, by: AbstractBaseUser | None) -> None:
    from simple_history.utils import bulk_create_with_history

    from institutions.models import ApprovalDocument, Institution, InternalDivision, Plaque, Region
    from standards.models import CapMethod, InstitutionCap

    def create(model, objects: list) -> list:
        return bulk_create_with_history(objects, model, default_user=by, default_change_reason=CHANGE_REASON)

    regions = {region.code: region for region in Region.objects.filter(code__in=[r.code for r in city.regions])}
    for batch in ([r for r in city.regions if r.parent_code is None], [r for r in city.regions if r.parent_code]):
        new = [
            Region(code=r.code, name=r.name, kind=r.kind,
                   parent=regions[r.parent_code] if r.parent_code else None)
            for r in batch if r.code not in regions
        ]
        regions.update((region.code, region) for region in create(Region, new))
    documents = {
        document.number: document for document in create(ApprovalDocument, [
            ApprovalDocument(
                issuer=d.issuer, office_code=d.office_code, year=d.year, serial=d.serial, number=d.number,
                kind=d.kind, title=d.title, date_issued=d.date_issued, date_effective=d.date_effective,
            )
            for d in city.documents
        ])
    }
    cap_document = documents[city.cap_document.number]
    create(InstitutionCap, [InstitutionCap(region=regions[r.code], method=CapMethod.FIXED, cap=r.institution_cap,
                                           document=cap_document)
                            for r in city.regions if r.institution_cap is not None
                            and not InstitutionCap.objects.filter(region=regions[r.code]).exists()])

    units: dict[str, Institution] = {}
    region_names = {r.code: "" if r.parent_code is None else r.name for r in city.regions}
    for kind in (InstitutionKind.AGENCY, InstitutionKind.PUBLIC_INSTITUTION):
        new = [
            Institution(
                kind=u.kind, name=u.name, short_name=u.short_name, credit_code=u.credit_code,
                region=regions[u.region_code], supervisor=units[u.supervisor_code] if u.supervisor_code else None,
                category=u.category, funding_form=u.funding_form, rank=u.rank, reserved_class=u.reserved_class,
                must_exist_reason=u.must_exist_reason, status=InstitutionStatus.ACTIVE, established_on=u.established_on,
                established_document=documents.get(u.established_document), legal_person_state=u.legal_person_state,
                leadership_principal=u.leadership_principal, leadership_deputy=u.leadership_deputy,
                staff_in_quota=u.staff_in_quota, **registered_particulars(u, region_names[u.region_code]),
            )
            for u in city.institutions if u.kind == kind
        ]
        units.update((unit.credit_code, unit) for unit in create(Institution, new))

    create(InternalDivision, [
        InternalDivision(
            institution=units[d.institution_code], name=d.name, rank=d.rank, quota_count=d.quota_count,
            leadership_principal=d.leadership_principal, leadership_deputy=d.leadership_deputy,
        )
        for d in city.divisions
    ])
    create(Plaque, [
        Plaque(institution=units[p.institution_code], name=p.name, started_on=p.started_on, ended_on=p.ended_on,
               document=documents.get(p.document))
        for p in city.plaques
    ])
