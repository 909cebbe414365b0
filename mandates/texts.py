"""The words of regulations and charters, built from plain figures (no database): the articles in their order.

An article is ``{"number": n, "heading": ..., "paragraphs": [...]}``; the first paragraph of a regulation's article
starts with its number in words (第六条). What is stored on approval is this list, as it was on the date of issue.
"""
from __future__ import annotations

import datetime
import string
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

PLACEHOLDERS = frozenset({"unit", "region", "issuer", "effective_date"})
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (article and chapter numbers, below 100)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    return str(n)  # no text here has a hundred articles


def chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def check_placeholders(text: str) -> str | None:
    """The problem with a template text's placeholders (an unknown name, a broken brace), or None."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(text or "") if name is not None}
    except ValueError as error:
        return _("The text has a broken placeholder: %(reason)s.") % {"reason": error}
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        return _("Unknown placeholder {%(name)s}; use {unit}, {region}, {issuer} or {effective_date}.") % {
            "name": unknown[0]}
    return None


def fill(text: str, values: dict) -> str:
    return (text or "").format_map({name: values.get(name, "") for name in PLACEHOLDERS})


@dataclass
class Staffing:
    """The staffing article's figures: quotas by type, the unit's and its divisions' leadership posts."""

    quotas: list[dict] = field(default_factory=list)  # {"code", "label", "count"}
    principal: int = 0
    deputy: int = 0
    divisions: list[dict] = field(default_factory=list)  # {"name", "principal", "deputy"}

    def as_dict(self) -> dict:
        return {"quotas": self.quotas, "principal": self.principal, "deputy": self.deputy,
                "divisions": self.divisions}


@dataclass
class MandateFacts:
    unit: str
    region: str
    issuer: str
    title_format: str
    purpose: str
    basis: str
    supplementary: str
    nature: str
    supervisor: str
    rank: str
    duties: list[str]
    function_shift: str
    divisions: list[dict]  # {"name", "duties"}
    staffing: Staffing
    affiliated_units: list[str]
    other_matters: str
    effective_date: datetime.date | None


def _article(number: int, heading: str, paragraphs: list[str]) -> dict:
    paragraphs = [text for text in paragraphs if text]
    first = f"第{chinese_number(number)}条　{paragraphs[0] if paragraphs else ''}"
    return {"number": number, "heading": heading, "paragraphs": [first, *paragraphs[1:]]}


def staffing_sentences(unit: str, staffing: Staffing) -> list[str]:
    quotas = "、".join(f"{row['label']}{row['count']}名" for row in staffing.quotas if row["count"]) or "编制0名"
    lines = [f"{unit}核定{quotas}。",
             f"领导职数：{staffing.principal}正{staffing.deputy}副。"]
    if staffing.divisions:
        principal = sum(row["principal"] for row in staffing.divisions)
        deputy = sum(row["deputy"] for row in staffing.divisions)
        each = "；".join(f"{row['name']}{row['principal']}正{row['deputy']}副" for row in staffing.divisions)
        lines.append(f"内设机构领导职数{principal}正{deputy}副（{each}）。")
    return lines


def mandate_title(facts: MandateFacts) -> str:
    return fill(facts.title_format, {"unit": facts.unit})


def mandate_articles(facts: MandateFacts) -> list[dict]:
    """The eight articles of a 三定 regulation, in their order."""
    values = {"unit": facts.unit, "region": facts.region, "issuer": facts.issuer,
              "effective_date": chinese_date(facts.effective_date) or "印发之日"}
    nature = facts.nature or "事业单位"
    second = f"{facts.unit}是{nature}"
    if facts.supervisor:
        second += f"，由{facts.supervisor}主管"
    if facts.rank:
        second += f"，机构规格为{facts.rank}"
    duties = [f"（{chinese_number(index)}）{duty}" for index, duty in enumerate(facts.duties, start=1)]
    fourth = [f"{facts.unit}的主要职责是：", *duties]
    if facts.function_shift:
        fourth.append(f"职能转变。{facts.function_shift}")
    if facts.divisions:
        fifth = [f"{facts.unit}设下列内设机构："]
        for entry in facts.divisions:
            fifth.append(f"{entry['name']}。" + "".join(f"{duty.rstrip('。；;')}；" for duty in entry["duties"])
                         .rstrip("；") + ("。" if entry["duties"] else ""))
    else:
        fifth = [f"{facts.unit}不设内设机构。"]
    if facts.affiliated_units:
        seventh = [f"{facts.unit}所属事业单位：{'、'.join(facts.affiliated_units)}。"]
    else:
        seventh = [f"{facts.unit}无所属事业单位。"]
    if facts.other_matters:
        seventh.append(f"其他事项。{facts.other_matters}")
    return [
        _article(1, "宗旨和依据", [fill(facts.purpose, values)]),
        _article(2, "机构性质、主管部门和规格", [second + "。"]),
        _article(3, "基本依据", [fill(facts.basis, values)]),
        _article(4, "主要职责和职能转变", fourth),
        _article(5, "内设机构", fifth),
        _article(6, "人员编制和领导职数", staffing_sentences(facts.unit, facts.staffing)),
        _article(7, "所属事业单位和其他事项", seventh),
        _article(8, "附则", [fill(facts.supplementary, values)]),
    ]


CHARTER_CHAPTERS = (
    ("总则", ("particulars", "purpose")),
    ("业务范围", ("business_scope",)),
    ("组织机构", ("party_role", "decision_making", "democratic_management")),
    ("资产管理和使用", ("asset_management",)),
    ("信息公开", ("information_disclosure",)),
    ("章程修改", ("amendment_procedure",)),
    ("终止和剩余财产处理", ("termination",)),
)


def charter_articles(items: dict) -> list[dict]:
    """A charter's seven chapters, its articles numbered through (第一章 总则 … 第七章); ``items`` holds the
    charter's texts and ``particulars`` (the registered particulars in one sentence)."""
    out, number = [], 0
    for index, (heading, fields) in enumerate(CHARTER_CHAPTERS, start=1):
        paragraphs = []
        for name in fields:
            text = items.get(name, "")
            if text:
                number += 1
                paragraphs.append(f"第{chinese_number(number)}条　{text}")
        out.append({"number": index, "heading": f"第{chinese_number(index)}章　{heading}", "paragraphs": paragraphs})
    return out


def charter_particulars(*, name: str, address: str, unit_type: str, funding: str, opening_funds, sponsor: str) -> str:
    return (f"本单位名称：{name}；住所：{address}；类型：{unit_type}；经费来源：{funding}；"
            f"开办资金：{opening_funds}万元；举办单位：{sponsor or '无'}。")


def article_text(article: dict) -> str:
    return "\n".join(article["paragraphs"])
