"""The demo city's 三定 regulations, charters and party organisations (演示数据，仅为示意: illustrative, not official).

Called by ``load_demo`` after the reform and the standards loaders, when the registry and the ledger hold each unit
as the reform left it:

- the city's regulation template (``MandateTemplate``, the default texts);
- an approved regulation (version 1) and an approved charter for each of a handful of units (``demo_units``): the
  medical-insurance service centres (医疗保障服务中心) and social-insurance centres (社会保险事业中心) of the city level
  and of the first district (道里区; its social-insurance centre was formed by the "five insurances in one" merger),
  then the units the 2021 reform's mergers enlarged (those with a "took in by merger" life event), city level
  first, ``MAX_UNITS`` in all; the regulations cite ``MANDATE_DOCUMENT`` and freeze the ledger's
  figures of its date of issue, the charters cite ``CHARTER_DOCUMENT``;
- party organisations with the article's events: ``PARTY_STANDING`` organisations set up before the reform
  (2016), of which 8 renamed and 5 adjusted in 2021, and 2 set up in 2021: 2 set up, 8 renamed, 5 adjusted;
  where the unit has a fitting internal division (a 党群工作科, an 办公室 …: ``fitting_divisions``), it is named
  the organisation's party-affairs (and discipline-inspection) division.

Everything follows the units' order (region code, name), so the same city gives the same rows; units a small city
lacks are skipped. Rows are checked with ``full_clean()`` (the services' rules) and written in bulk with their
history; a second load finds the regulations' document cited and writes nothing.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.db.models import Q

ISSUER = "中共哈尔滨市委机构编制委员会办公室"
MANDATE_DOCUMENT = ("哈编发", 2022, 301, "关于印发市医疗保障服务中心等单位“三定”规定的通知（示意）",
                    datetime.date(2022, 1, 10))
CHARTER_DOCUMENT = ("哈编发", 2022, 302, "关于核准市医疗保障服务中心等单位章程的批复（示意）",
                    datetime.date(2022, 1, 20))
PARTY_SETUP_DOCUMENT = ("哈编发", 2016, 301, "关于设立事业单位党组织的批复（示意）", datetime.date(2016, 6, 1))
PARTY_REFORM_DOCUMENT = ("哈编发", 2021, 301, "关于事业单位党组织设立、更名和调整的批复（示意）",
                         datetime.date(2021, 11, 1))
CENTRE_ENDINGS = ("医疗保障服务中心", "社会保险事业中心")
MAX_UNITS = 12
PARTY_STANDING, PARTY_RENAMED, PARTY_ADJUSTED, PARTY_NEW = 10, 8, 5, 2
CHANGE_REASON = "演示数据（示意）"


def _document(spec):
    from institutions.models import ApprovalDocument, Region

    office_code, year, serial, title, day = spec
    found = ApprovalDocument.objects.filter(office_code=office_code, year=year, serial=serial).first()
    if found is not None:
        return found
    document = ApprovalDocument(region=Region.objects.filter(parent__isnull=True).order_by("pk").first(),
                                issuer=ISSUER, office_code=office_code, year=year, serial=serial, title=title,
                                date_issued=day, date_effective=day)
    document.full_clean()
    document.save()
    return document


def demo_units() -> list:
    """The units that get a regulation and a charter, in a fixed order: the centres, then the merged units."""
    from institutions.models import Institution, InstitutionEvent, LifeEventKind

    active = Institution.objects.filter(status="active", kind="public_institution").select_related("region")
    by_name = Q()
    for ending in CENTRE_ENDINGS:
        by_name |= Q(name__endswith=ending)
    centres = list(active.filter(by_name).order_by("region__code", "name"))
    # the city level's and the first district's (道里区 in the demo city: the pilots of the power lists too)
    district = next((unit.region_id for unit in centres if unit.region.parent_id is not None), None)
    centres = [unit for unit in centres if unit.region.parent_id is None or unit.region_id == district]
    merged_ids = InstitutionEvent.objects.filter(
        kind=LifeEventKind.ABSORBED, date__year=2021).values_list("institution_id", flat=True)
    merged = [unit for unit in active.filter(pk__in=merged_ids).order_by("region__code", "name")
              if unit not in centres]
    return (centres + merged)[:MAX_UNITS]


def party_units(units: list) -> list:
    """The units with party organisations: the demo units, then other public institutions, in order."""
    from institutions.models import Institution

    wanted = PARTY_STANDING + PARTY_NEW
    chosen = list(units[:wanted])
    if len(chosen) < wanted:
        ids = {unit.pk for unit in chosen}
        more = (Institution.objects.filter(status="active", kind="public_institution").exclude(pk__in=ids)
                .order_by("region__code", "name")[: wanted - len(chosen)])
        chosen += list(more)
    return chosen


def _duties(unit) -> list[str]:
    subject = unit.name.removeprefix(str(unit.region.name)).removeprefix("市").removesuffix("中心") or unit.name
    return [f"贯彻执行{subject}方面的法律法规和政策，承担相关经办服务工作。",
            f"负责{subject}业务的受理、审核和办理，提供便民服务。",
            f"承担{subject}信息系统建设、数据管理和统计分析工作。",
            "完成主管部门交办的其他任务。"]


def _mandate(unit, document):
    from mandates.models import Mandate, VersionStatus
    from mandates.selectors import frozen, mandate_text

    divisions = [{"name": name, "duties": [f"承担{name}职责范围内的工作（示意）"]}
                 for name in unit.divisions.order_by("name").values_list("name", flat=True)]
    supervisor = f"{unit.supervisor.name}所属" if unit.supervisor_id else ""
    mandate = Mandate(institution=unit, version=1, nature=f"{supervisor}{unit.get_category_display()}事业单位",
                      duties=_duties(unit), function_shift="深化“放管服”改革，推进经办服务标准化、便利化（示意）。",
                      divisions=divisions, status=VersionStatus.APPROVED, document=document,
                      issued_on=document.date_issued, effective_date=document.date_effective)
    mandate.full_clean()
    title, articles = mandate_text(mandate, on=mandate.issued_on)
    mandate.articles = frozen(title, articles)
    return mandate


def _charter(unit, document):
    from mandates.models import Charter, VersionStatus
    from mandates.selectors import charter_text, frozen

    charter = Charter(
        institution=unit, version=1, name=unit.name, address=unit.address or f"{unit.region.name}（示意地址）",
        unit_type=unit.category, funding_source=unit.funding_form,
        opening_funds=Decimal(50) if unit.opening_funds is None else unit.opening_funds, sponsor=unit.supervisor,
        purpose="为社会提供公益服务，促进事业发展（示意）", business_scope="；".join(_duties(unit)[:3]),
        party_role="本单位党组织发挥政治核心作用，把方向、管大局、保落实，重大事项经党组织研究讨论。",
        decision_making="实行行政负责人负责制，“三重一大”事项集体研究决定。",
        democratic_management="实行职工代表大会制度，接受举办单位、登记管理机关和社会监督。",
        asset_management="资产属国有资产，按国有资产管理规定管理和使用。",
        information_disclosure="按规定向社会公开年度报告、服务事项和收费标准。",
        amendment_procedure="章程修改经单位决策机构通过，报举办单位审核后，由登记管理机关核准。",
        termination="终止前依法清算，剩余财产按国有资产管理规定处置。",
        status=VersionStatus.APPROVED, document=document, issued_on=document.date_issued,
        effective_date=document.date_effective)
    charter.full_clean()
    title, articles = charter_text(charter)
    charter.articles = frozen(title, articles)
    return charter


def fitting_divisions(unit) -> tuple:
    """(party-affairs division, discipline-inspection division) among the unit's internal divisions, by name: a
    党群/党务/党建 division, else the 办公室, does the party-affairs work; a 纪检/监察 division, else a 党群/党务
    division, the discipline-inspection work; None where the unit has none fitting."""
    divisions = sorted(unit.divisions.all(), key=lambda division: division.name)

    def first(*marks):
        return next((division for mark in marks for division in divisions if mark in division.name), None)

    return first("党群", "党务", "党建", "办公室"), first("纪检", "监察", "党群", "党务")


def _party(units, setup, reform):
    """Organisations and events: standing ones set up in 2016 (the first 8 renamed, the last 5 adjusted in 2021;
    units 3–5 are both), and the last 2 units' set up in 2021."""
    from mandates.models import PartyEvent, PartyEventKind, PartyKind, PartyOrganisation

    organisations, events = [], []
    offices = {unit.pk: fitting_divisions(unit) for unit in units}
    standing, new = units[:PARTY_STANDING], units[PARTY_STANDING:PARTY_STANDING + PARTY_NEW]
    for index, unit in enumerate(standing):
        renamed = index < PARTY_RENAMED
        adjusted = index >= len(standing) - PARTY_ADJUSTED
        former = f"{unit.name}党支部"
        kind = PartyKind.GENERAL_BRANCH if adjusted else PartyKind.BRANCH
        organisation = PartyOrganisation(institution=unit, kind=kind, name=f"中共{unit.name}总支部委员会" if adjusted
                                         else f"中共{unit.name}支部委员会" if renamed else former,
                                         secretary_posts=1, deputy_posts=1, established_on=setup.date_issued,
                                         party_affairs_division=offices[unit.pk][0],
                                         discipline_division=offices[unit.pk][1])
        organisation.full_clean()
        organisations.append(organisation)
        events.append([(PartyEventKind.ESTABLISHED, setup, "", "")])
        if renamed:
            events[-1].append((PartyEventKind.RENAMED, reform, former, ""))
        if adjusted:
            events[-1].append((PartyEventKind.ADJUSTED, reform, "", PartyKind.BRANCH))
    for unit in new:
        organisation = PartyOrganisation(institution=unit, kind=PartyKind.BRANCH, name=f"中共{unit.name}支部委员会",
                                         secretary_posts=1, deputy_posts=0, established_on=reform.date_issued,
                                         party_affairs_division=offices[unit.pk][0],
                                         discipline_division=offices[unit.pk][1])
        organisation.full_clean()
        organisations.append(organisation)
        events.append([(PartyEventKind.ESTABLISHED, reform, "", "")])
    return organisations, events, PartyEvent


def load(*, city=None, by=None, stdout: TextIO | None = None) -> None:
    """Write the template, the regulations and charters, and the party organisations, unless they are there."""
    from simple_history.utils import bulk_create_with_history

    from institutions.models import Region
    from mandates.models import Charter, Mandate, MandateTemplate, PartyOrganisation

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    root = Region.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        say("没有城市 / no city: nothing written")
        return
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        MandateTemplate.objects.get_or_create(region=root)
        if Mandate.objects.filter(document__office_code=MANDATE_DOCUMENT[0], document__year=MANDATE_DOCUMENT[1],
                                  document__serial=MANDATE_DOCUMENT[2]).exists():
            say("三定规定演示数据已存在 / demo regulations already loaded: nothing written")
            return
        units = demo_units()
        mandate_document, charter_document = _document(MANDATE_DOCUMENT), _document(CHARTER_DOCUMENT)
        mandates = [_mandate(unit, mandate_document) for unit in units]
        charters = [_charter(unit, charter_document) for unit in units]
        for row in (*mandates, *charters):
            row.approved_by = user
        bulk_create_with_history(mandates, Mandate, default_user=user, default_change_reason=CHANGE_REASON)
        bulk_create_with_history(charters, Charter, default_user=user, default_change_reason=CHANGE_REASON)
        organisations, events, event_model = _party(party_units(units), _document(PARTY_SETUP_DOCUMENT),
                                                    _document(PARTY_REFORM_DOCUMENT))
        saved = bulk_create_with_history(organisations, PartyOrganisation, default_user=user,
                                         default_change_reason=CHANGE_REASON)
        if any(row.pk is None for row in saved):  # a backend that does not return ids: read them back
            by_key = {(row.institution_id, row.name): row.pk for row in PartyOrganisation.objects.all()}
            for row in saved:
                row.pk = by_key[(row.institution_id, row.name)]
        event_model.objects.bulk_create([
            event_model(organisation_id=organisation.pk, kind=kind, date=document.date_issued, document=document,
                        former_name=former_name, former_kind=former_kind)
            for organisation, rows in zip(saved, events, strict=True)
            for kind, document, former_name, former_kind in rows])
    counts = {kind: sum(1 for rows in events for row in rows if row[0] == kind and row[1].year == 2021)
              for kind in ("established", "renamed", "adjusted")}
    linked = sum(1 for row in organisations if row.party_affairs_division_id or row.discipline_division_id)
    say(f"三定规定、章程 / regulations and charters: {len(mandates)} units; 党组织 / party organisations: "
        f"{len(organisations)} (2021: set up {counts['established']}, renamed {counts['renamed']}, adjusted "
        f"{counts['adjusted']}; with party-affairs or discipline divisions {linked}; 示意 / illustrative)")
