"""The demo city's power lists and law-enforcement list (演示数据，仅为示意: illustrative, not official).

Called by ``load_demo`` after the reform and the standards, when the registry holds each unit as the reform left it.

- **Power lists** (权责清单), the article's 2021 pilots: the city level's medical-insurance service centre
  (医疗保障服务中心) and social-insurance centre (社会保险事业中心), two public institutions holding administrative
  functions, with their agencies (医疗保障局, 人力资源和社会保障局), and the same centres of one district
  (``PILOT_DISTRICT``, 道里区), each with 20–40 items drawn across the ten types (``TYPE_WEIGHTS``) and the three
  dispositions: most kept, some cleaned up with their reason, and some of the city centres' items devolved to the
  district's centre of the same kind (a unit of a lower level). Every item cites the pilots' illustrative approval
  document (``DOCUMENT``) and carries the remark ``演示数据，仅为示意``.
- **The law-enforcement list** (执法事项, "one list governs enforcement"): exactly ``ENFORCEMENT_TOTAL`` = 3,067 items
  for the six main-urban districts (Harbin's 主城区: the four districts of kind ``main_urban`` and the two
  government-zone-integrated ones, 平房区 and 松北区), split among the districts in proportion to their resident
  population and, in each, among its enforcing agencies (``DEPARTMENTS``, by weight) by the largest remainder, so
  the total is exact; each item's type is drawn (penalties most often). An agency's items are executed by the
  comprehensive law-enforcement team it supervises (执法大队) when it has one, else by the agency. Articles carry
  ``（示意）``.

Everything is drawn from ``random.Random(f"{seed}:powers")`` over units in a fixed order, so the same city gives the
same lists; units the registry lacks (a small test city) are skipped, the enforcement total staying 3,067 over the
districts present. Bulk inserts with their history rows; each part is written once (loading twice changes nothing).
"""
from __future__ import annotations

import datetime
import random
from collections import Counter
from fractions import Fraction
from typing import TextIO

from django.db import transaction

from demo.institutions import DEFAULT_SEED, DemoCity

CHANGE_REASON = "演示数据（示意）/ illustrative demo data"
REMARK = "演示数据，仅为示意"
ENFORCEMENT_TOTAL = 3067
ENFORCEMENT_KINDS = ("main_urban", "integrated")
ENFORCEMENT_CODE = "ZF-"
PILOT_DISTRICT = "230102"  # 道里区
DOCUMENT = ("哈编发", 2021, 160, "关于印发市医疗保障服务中心等单位权责清单（试点）的通知（示意）",
            datetime.date(2021, 9, 15))
TYPE_CODES = {"licensing": "XK", "penalty": "CF", "enforcement_measure": "QZ", "levy": "ZS", "benefit": "JF",
              "adjudication": "CJ", "confirmation": "QR", "award": "JL", "inspection": "JC", "other": "QT"}
TYPE_WEIGHTS = {"licensing": 8, "penalty": 22, "enforcement_measure": 6, "levy": 6, "benefit": 14,
                "adjudication": 3, "confirmation": 14, "award": 4, "inspection": 15, "other": 8}
PATTERNS = {
    "licensing": "{s}事项的审核办理", "penalty": "对违反{s}管理规定行为的行政处罚",
    "enforcement_measure": "对{s}相关违法资料的查封、扣押", "levy": "{s}费用的征收",
    "benefit": "{s}待遇的给付", "adjudication": "{s}争议的裁决", "confirmation": "{s}关系的确认",
    "award": "对{s}工作中表现突出的单位和个人的奖励", "inspection": "对{s}执行情况的监督检查",
    "other": "{s}信息的公开与查询服务",
}
DOMAINS = {
    "medical": {
        "subjects": ["定点医疗机构", "定点零售药店", "医疗保障基金使用", "异地就医备案", "医疗救助", "长期护理保险",
                     "生育保险", "门诊慢特病", "医保药品目录", "医疗服务价格", "职工基本医疗保险", "城乡居民医疗保险"],
        "basis": ["《中华人民共和国社会保险法》", "《医疗保障基金使用监督管理条例》",
                  "《黑龙江省医疗保障基金监督管理办法》"],
    },
    "social": {
        "subjects": ["企业职工基本养老保险", "城乡居民基本养老保险", "机关事业单位养老保险", "失业保险", "工伤保险",
                     "社会保险登记", "退休人员待遇", "遗属待遇", "社会保障卡", "个人权益记录", "养老金领取资格认证",
                     "社会保险关系转移接续"],
        "basis": ["《中华人民共和国社会保险法》", "《社会保险费征缴暂行条例》", "《工伤保险条例》", "《失业保险条例》"],
    },
}
# (name ending in the registry, domain): the pilots' holders, the city level's first.
HOLDERS = (("医疗保障服务中心", "medical"), ("社会保险事业中心", "social"), ("医疗保障局", "medical"),
           ("人力资源和社会保障局", "social"))
ACCOUNTABILITY = "因不履行或不正确履行职责，造成不良后果或严重影响的，依法依规追究相关责任人员的责任。"
CLEANUP_REASONS = ["法律法规依据已废止或修改，该事项不再保留", "事项已整合并入其他职权，不再单列",
                   "属于内部管理事务，不列入权责清单"]
# The enforcing agencies of a district: (name ending, weight, subjects, legal basis).
DEPARTMENTS = (
    ("市场监督管理局", 30, ["食品生产经营", "特种设备", "产品质量", "计量", "价格", "广告", "网络交易"],
     "《中华人民共和国食品安全法》"),
    ("城市管理和行政执法局", 18, ["市容环境卫生", "城市道路占用", "户外广告设施", "建筑垃圾", "城市绿化"],
     "《城市市容和环境卫生管理条例》"),
    ("综合行政执法局", 18, ["市容环境卫生", "城市道路占用", "户外广告设施", "建筑垃圾"],
     "《城市市容和环境卫生管理条例》"),
    ("生态环境局", 8, ["大气污染防治", "水污染防治", "固体废物", "噪声污染"], "《中华人民共和国环境保护法》"),
    ("交通运输局", 8, ["道路运输经营", "出租汽车经营", "公路路政", "机动车维修"], "《中华人民共和国道路运输条例》"),
    ("应急管理局", 7, ["安全生产", "危险化学品", "烟花爆竹经营", "工贸企业安全"], "《中华人民共和国安全生产法》"),
    ("卫生健康局", 7, ["医疗机构执业", "公共场所卫生", "生活饮用水卫生", "职业卫生"], "《医疗机构管理条例》"),
    ("人力资源和社会保障局", 6, ["劳动合同", "工资支付", "劳动用工", "社会保险缴费"], "《劳动保障监察条例》"),
    ("住房和城乡建设局", 6, ["建筑工程施工", "房地产开发经营", "物业服务", "燃气经营"], "《建设工程质量管理条例》"),
    ("文化广电和旅游局", 5, ["营业性演出", "网吧经营", "旅行社经营", "出版物经营"], "《娱乐场所管理条例》"),
    ("农业农村局", 5, ["农药经营", "种子经营", "兽药经营", "动物防疫"], "《农药管理条例》"),
    ("水务局", 4, ["河道管理", "取水许可", "城市排水"], "《中华人民共和国水法》"),
    ("自然资源局", 4, ["土地利用", "矿产资源开采", "测绘活动"], "《中华人民共和国土地管理法》"),
    ("医疗保障局", 3, ["医疗保障基金使用", "定点医药机构"], "《医疗保障基金使用监督管理条例》"),
    ("教育局", 3, ["民办学校办学", "校外培训机构"], "《中华人民共和国民办教育促进法》"),
    ("民政局", 2, ["社会组织登记", "养老机构服务"], "《社会团体登记管理条例》"),
    ("商务局", 2, ["成品油经营", "单用途商业预付卡"], "《单用途商业预付卡管理办法（试行）》"),
    ("统计局", 1, ["统计调查"], "《中华人民共和国统计法》"),
)
ENFORCEMENT_TYPE_WEIGHTS = {"penalty": 62, "enforcement_measure": 10, "inspection": 14, "licensing": 4, "levy": 1,
                            "benefit": 1, "adjudication": 1, "confirmation": 3, "award": 1, "other": 3}


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (whole numbers adding up to ``total``; ties to the first)."""
    whole = sum(weights)
    shares = [Fraction(total * weight, whole) for weight in weights]
    parts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[:total - sum(parts)]:
        parts[i] += 1
    return parts


def _draw(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _article(rng: random.Random) -> str:
    return f"第{rng.randint(2, 98)}条（示意）"


def _document(by):
    from institutions.models import ApprovalDocument, Region

    office_code, year, serial, title, day = DOCUMENT
    found = ApprovalDocument.objects.filter(office_code=office_code, year=year, serial=serial).first()
    if found is not None:
        return found
    document = ApprovalDocument(region=Region.objects.filter(parent__isnull=True).order_by("pk").first(),
                                issuer="中共哈尔滨市委机构编制委员会办公室", office_code=office_code, year=year,
                                serial=serial, kind="notice", title=title, date_issued=day, date_effective=day)
    document.full_clean()
    document.save()
    return document


def _holders():
    """The pilots' holders that exist: [(unit, domain, counterpart in the pilot district or None)]."""
    from institutions.models import Institution

    active = Institution.objects.filter(status="active").select_related("region")
    found = []
    for level in ("city", "district"):
        for ending, domain in HOLDERS:
            units = active.filter(name__endswith=ending)
            units = units.filter(region__parent__isnull=True) if level == "city" else units.filter(
                region__code=PILOT_DISTRICT)
            unit = units.order_by("pk").first()
            if unit is None:
                continue
            counterpart = None
            if level == "city":
                counterpart = active.filter(region__code=PILOT_DISTRICT, name__endswith=ending).order_by("pk").first()
            found.append((unit, domain, counterpart))
    return found


def power_items(rng: random.Random, document) -> list:
    """The pilots' items (unsaved), 20–40 a holder."""
    from powers.models import PowerItem

    items = []
    for holder, domain, counterpart in _holders():
        subjects, bases = DOMAINS[domain]["subjects"], DOMAINS[domain]["basis"]
        count = rng.randint(20, 40)
        pairs = [(power_type, subject) for power_type in TYPE_WEIGHTS for subject in subjects]
        weights = [TYPE_WEIGHTS[power_type] for power_type, _subject in pairs]
        chosen: list[tuple[str, str]] = []
        while len(chosen) < count:
            pair = rng.choices(pairs, weights=weights)[0]
            if pair not in chosen:
                chosen.append(pair)
        serials: Counter = Counter()
        for power_type, subject in chosen:
            serials[power_type] += 1
            roll = rng.random()
            disposition, receiver, reason = "kept", None, ""
            if counterpart is not None and roll < 0.15:
                disposition, receiver = "devolved", counterpart
            elif roll > 0.9:
                disposition, reason = "cleaned_up", rng.choice(CLEANUP_REASONS)
            items.append(PowerItem(
                name=PATTERNS[power_type].format(s=subject), power_type=power_type,
                code=f"{TYPE_CODES[power_type]}-{serials[power_type]:03d}", holder=holder, region=holder.region,
                legal_basis=rng.choice(bases), article=_article(rng), accountability=ACCOUNTABILITY, remarks=REMARK,
                disposition=disposition, receiver=receiver, cleanup_reason=reason, document=document))
    for item in items:
        item.apply_defaults()
        item.full_clean(exclude=["holder", "receiver", "document"], validate_unique=False,
                        validate_constraints=False)
    return items


def _districts(city: DemoCity | None):
    """The main-urban districts present, with their resident population (the demo's census figure; 1 if unknown)."""
    from institutions.models import Region

    populations = {region.code: region.resident_population for region in city.regions} if city else {}
    regions = Region.objects.filter(kind__in=ENFORCEMENT_KINDS).order_by("code")
    return [(region, populations.get(region.code, 1)) for region in regions]


def enforcement_powers(rng: random.Random, city: DemoCity | None) -> list:
    """The 3,067 items (unsaved) of the main-urban districts that have enforcing agencies."""
    from institutions.models import Institution
    from powers.models import EnforcementPower

    plan = []
    for region, population in _districts(city):
        agencies = Institution.objects.filter(region=region, kind="agency", status="active").order_by("pk")
        departments = []
        for ending, weight, subjects, basis in DEPARTMENTS:
            agency = next((unit for unit in agencies if unit.name.endswith(ending)), None)
            if agency is None:
                continue
            team = Institution.objects.filter(region=region, supervisor=agency, status="active",
                                              reserved_class="law_enforcement").order_by("pk").first()
            departments.append((agency, team or agency, weight, subjects, basis))
        if departments:
            plan.append((region, population, departments))
    if not plan:
        return []
    powers = []
    for (region, _population, departments), share in zip(
            plan, largest_remainder(ENFORCEMENT_TOTAL, [population for _r, population, _d in plan]), strict=True):
        serial = 0
        for (agency, body, _weight, subjects, basis), count in zip(
                departments, largest_remainder(share, [weight for _a, _b, weight, _s, _l in departments]),
                strict=True):
            for _n in range(count):
                serial += 1
                power_type = _draw(rng, ENFORCEMENT_TYPE_WEIGHTS)
                powers.append(EnforcementPower(
                    name=PATTERNS[power_type].format(s=rng.choice(subjects)), power_type=power_type,
                    district=region, department=agency, executing_body=body, legal_basis=basis,
                    article=_article(rng), code=f"{ENFORCEMENT_CODE}{region.code}-{serial:04d}"))
    for power in powers:
        power.full_clean(exclude=["district", "department", "executing_body"], validate_unique=False,
                         validate_constraints=False)
    return powers


def load(*, city: DemoCity | None = None, by=None, stdout: TextIO | None = None) -> None:
    """Write the pilots' power lists and the law-enforcement list, each unless the demo's is there already."""
    from simple_history.utils import bulk_create_with_history

    from powers.models import EnforcementPower, PowerItem

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    seed = city.seed if city is not None else DEFAULT_SEED
    rng = random.Random(f"{seed}:powers")
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        if PowerItem.objects.filter(remarks=REMARK).exists():
            say("权责清单演示数据已存在 / demo power lists already loaded: nothing written")
        else:
            items = power_items(rng, _document(by))
            bulk_create_with_history(items, PowerItem, batch_size=1000, default_user=user,
                                     default_change_reason=CHANGE_REASON)
            dispositions = Counter(item.disposition for item in items)
            say(f"权责清单 / power lists: {len(items)} items of {len({item.holder_id for item in items})} holders "
                f"(kept {dispositions['kept']}, cleaned up {dispositions['cleaned_up']}, devolved "
                f"{dispositions['devolved']}; 示意 / illustrative)")
        if EnforcementPower.objects.filter(code__startswith=ENFORCEMENT_CODE, article__endswith="（示意）").exists():
            say("执法事项演示数据已存在 / demo law-enforcement list already loaded: nothing written")
        else:
            powers = enforcement_powers(rng, city)
            bulk_create_with_history(powers, EnforcementPower, batch_size=1000, default_user=user,
                                     default_change_reason=CHANGE_REASON)
            say(f"执法事项 / law-enforcement list: {len(powers)} items in "
                f"{len({power.district_id for power in powers})} main-urban districts (示意 / illustrative)")
