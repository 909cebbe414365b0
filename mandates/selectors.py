"""Reads of the mandates app: the staffing figures on a date, the articles, the text in force, a diff."""
from __future__ import annotations

import datetime
import difflib

from django.utils import timezone

from institutions.models import Institution, Region
from mandates.models import Charter, Mandate, MandateTemplate, VersionStatus
from mandates.texts import (
    MandateFacts,
    Staffing,
    article_text,
    charter_articles,
    charter_particulars,
    mandate_articles,
    mandate_title,
)
from quotas.models import QuotaType
from quotas.selectors import own_approved_quotas


def city_of(region: Region) -> Region:
    while region.parent_id is not None:
        region = region.parent
    return region


def template_for(institution: Institution) -> MandateTemplate:
    """The city's template (made with the default texts the first time it is asked for)."""
    template, _created = MandateTemplate.objects.get_or_create(region=city_of(institution.region))
    return template


def staffing_on(institution: Institution, on: datetime.date) -> Staffing:
    """The staffing article's figures on ``on``: each quota type's own approved quotas (the ledger's figure,
    ``quotas.selectors.own_approved_quotas``), the unit's and its divisions' leadership posts (the registry)."""
    quotas = []
    for quota_type in QuotaType.objects.order_by("sort_order", "code"):
        count = own_approved_quotas(institution, quota_type=quota_type, on=on)
        if count:
            quotas.append({"code": quota_type.code, "label": _quota_label(quota_type.code), "count": count})
    divisions = [{"name": name, "principal": principal, "deputy": deputy} for name, principal, deputy in
                 institution.divisions.order_by("name").values_list("name", "leadership_principal",
                                                                    "leadership_deputy")]
    return Staffing(quotas=quotas, principal=institution.leadership_principal, deputy=institution.leadership_deputy,
                    divisions=divisions)


QUOTA_WORDS = {"institutional": "事业编制", "administrative": "行政编制", "political_legal": "政法专项编制",
               "worker": "工勤编制"}


def _quota_label(code: str) -> str:
    return QUOTA_WORDS.get(code, code)


def mandate_facts(mandate: Mandate, *, on: datetime.date) -> MandateFacts:
    unit = mandate.institution
    template = template_for(unit)
    return MandateFacts(
        unit=unit.name, region=str(unit.region), issuer=template.issuer, title_format=template.title_format,
        purpose=template.purpose, basis=template.basis, supplementary=template.supplementary,
        nature=mandate.nature, supervisor=str(unit.supervisor) if unit.supervisor_id else "",
        rank="" if unit.rank == "unranked" else str(unit.get_rank_display()), duties=list(mandate.duties),
        function_shift=mandate.function_shift, divisions=list(mandate.divisions), staffing=staffing_on(unit, on),
        affiliated_units=list(mandate.affiliated_units), other_matters=mandate.other_matters,
        effective_date=mandate.effective_date)


def today() -> datetime.date:
    return timezone.localdate()


def mandate_text(mandate: Mandate, *, on: datetime.date | None = None) -> tuple[str, list[dict]]:
    """(title, articles): an approved version's as issued; a draft's as it would read on ``on`` (today)."""
    if mandate.is_approved and mandate.articles:
        return mandate.articles[0].get("title", ""), mandate.articles[1:]
    facts = mandate_facts(mandate, on=on or today())
    return mandate_title(facts), mandate_articles(facts)


def frozen(title: str, articles: list[dict]) -> list[dict]:
    """What an approved version stores: a head entry with the title, then the articles."""
    return [{"title": title}, *articles]


def charter_text(charter: Charter) -> tuple[str, list[dict]]:
    if charter.is_approved and charter.articles:
        return charter.articles[0].get("title", ""), charter.articles[1:]
    particulars = charter_particulars(
        name=charter.name, address=charter.address, unit_type=charter.get_unit_type_display(),
        funding=charter.get_funding_source_display(), opening_funds=charter.opening_funds,
        sponsor=str(charter.sponsor) if charter.sponsor_id else "")
    items = {name: getattr(charter, name) for name in (
        "business_scope", "party_role", "decision_making", "democratic_management", "asset_management",
        "information_disclosure", "amendment_procedure", "termination")}
    items["particulars"] = particulars
    items["purpose"] = f"本单位宗旨：{charter.purpose}" if charter.purpose else ""
    return f"{charter.name}章程", charter_articles(items)


def in_force(model, institution, on: datetime.date):
    """The approved version of ``model`` (Mandate or Charter) in force on ``on``: the one that took effect last
    by then (the later version on the same day); None before the first."""
    return (model.objects.filter(institution=institution, status=VersionStatus.APPROVED, effective_date__lte=on)
            .order_by("-effective_date", "-version").first())


def in_force_ids(model, queryset, on: datetime.date) -> list[int]:
    """The ids of the versions in force on ``on`` among ``queryset`` (one per unit at most)."""
    rows = (queryset.filter(status=VersionStatus.APPROVED, effective_date__lte=on)
            .order_by("institution_id", "-effective_date", "-version").values_list("institution_id", "pk"))
    chosen: dict[int, int] = {}
    for unit, pk in rows:
        chosen.setdefault(unit, pk)
    return list(chosen.values())


def articles_diff(old: list[dict], new: list[dict]) -> list[dict]:
    """Article by article (matched by number): ``same``, ``changed`` (with the unified diff's lines), ``added`` or
    ``removed``."""
    before = {article["number"]: article for article in old}
    after = {article["number"]: article for article in new}
    out = []
    for number in sorted(set(before) | set(after)):
        a, b = before.get(number), after.get(number)
        heading = (b or a)["heading"]
        if a is None or b is None:
            status = "added" if a is None else "removed"
            lines = [("+" if a is None else "-") + line for line in (b or a)["paragraphs"]]
        else:
            lines = [line for line in difflib.unified_diff(
                a["paragraphs"], b["paragraphs"], lineterm="", n=0) if not line.startswith(("---", "+++", "@@"))]
            status = "changed" if lines else "same"
        out.append({"number": number, "heading": heading, "status": status, "lines": lines})
    return out


def text_of(articles: list[dict]) -> str:
    return "\n".join(article_text(article) for article in articles)


def docx_context(row, *, kind: str) -> dict:
    """The template's variables for a regulation (``kind="mandate"``) or a charter."""
    from mandates.texts import chinese_date

    title, articles = mandate_text(row) if kind == "mandate" else charter_text(row)
    template = template_for(row.institution)
    return {"title": title, "articles": articles, "issuer": template.issuer,
            "number": row.document.number if row.document_id else "（草案）",
            "date": chinese_date(row.issued_on) if row.issued_on else ""}


def docx_of(row, *, kind: str) -> bytes:
    from mandates.documents import render

    template = template_for(row.institution)
    uploaded = template.mandate_docx if kind == "mandate" else template.charter_docx
    return render(kind, docx_context(row, kind=kind), uploaded=uploaded or None)
