"""三定 regulations: articles from the template, staffing figures from the ledger frozen on approval, the text in
force on a date, the diff, and refusals that write nothing."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import ConflictError
from mandates import selectors, services
from mandates.models import Mandate, MandateTemplate
from mandates.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def staffing(articles):
    return "\n".join(next(article for article in articles if article["number"] == 6)["paragraphs"])


def test_the_articles_come_in_their_order_with_the_registry_and_the_ledger(funded_centre, clerk, mandate_fields):
    mandate = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    title, articles = selectors.mandate_text(mandate, on=DAY)
    assert title == "道里区医疗保险服务中心职能配置、内设机构和人员编制规定"
    assert [article["number"] for article in articles] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert articles[0]["paragraphs"][0].startswith("第一条　根据")
    assert "由道里区人力资源和社会保障局主管" in articles[1]["paragraphs"][0]
    assert articles[3]["paragraphs"][1:3] == [
        "（一）负责本区医疗保险参保登记工作", "（二）负责医疗保险待遇审核和支付工作"]
    assert articles[3]["paragraphs"][-1] == "职能转变。推进医保经办服务便民化。"
    assert articles[4]["paragraphs"][1] == "综合科。负责文电、会务、财务和后勤工作。"
    # 20 quotas; 1正2副; divisions 综合科 1正1副 + 待遇审核科 1正0副 = 2正1副 (ordered by name: 待 before 综).
    assert staffing(articles) == ("第六条　道里区医疗保险服务中心核定事业编制20名。\n领导职数：1正2副。\n"
                                  "内设机构领导职数2正1副（待遇审核科1正0副；综合科1正1副）。")
    assert mandate.version == 1 and MandateTemplate.objects.count() == 1


def test_an_approved_version_keeps_its_figures_and_a_new_draft_reads_the_ledger(
        funded_centre, clerk, mandate_fields, fund, document_on):
    first = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    approved = services.mandate_approve(mandate=first, by=clerk, document=document_on(datetime.date(2024, 3, 1)))
    assert approved.issued_on == datetime.date(2024, 3, 1) == approved.effective_date
    fund(funded_centre, 5, on=datetime.date(2024, 6, 1))  # 20 + 5 = 25 after the issue date
    fund(funded_centre, 3, on=datetime.date(2024, 2, 1))  # back-dated before it: 28 now, 23 on the issue date
    approved.refresh_from_db()
    _title, articles = selectors.mandate_text(approved)
    assert "核定事业编制20名" in staffing(articles)  # frozen as issued
    draft = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    assert draft.version == 2
    assert "核定事业编制28名" in staffing(selectors.mandate_text(draft, on=datetime.date(2024, 7, 1))[1])
    assert "核定事业编制23名" in staffing(selectors.mandate_text(draft, on=datetime.date(2024, 3, 1))[1])


def test_the_text_in_force_before_between_and_after(funded_centre, clerk, mandate_fields, document_on):
    one = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    services.mandate_approve(mandate=one, by=clerk, document=document_on(datetime.date(2024, 3, 1)))
    two = services.mandate_create(by=clerk, institution=funded_centre,
                                  **{**mandate_fields, "duties": [*mandate_fields["duties"], "完成交办的其他任务"]})
    services.mandate_approve(mandate=two, by=clerk, document=document_on(datetime.date(2025, 1, 10)),
                             effective_date=datetime.date(2025, 2, 1))
    assert selectors.in_force(Mandate, funded_centre, datetime.date(2024, 2, 29)) is None
    assert selectors.in_force(Mandate, funded_centre, datetime.date(2024, 3, 1)).pk == one.pk
    assert selectors.in_force(Mandate, funded_centre, datetime.date(2025, 1, 31)).pk == one.pk
    assert selectors.in_force(Mandate, funded_centre, datetime.date(2025, 2, 1)).pk == two.pk
    one.refresh_from_db()
    two.refresh_from_db()
    diff = selectors.articles_diff(selectors.mandate_text(one)[1], selectors.mandate_text(two)[1])
    assert [row["status"] for row in diff] == ["same", "same", "same", "changed", "same", "same", "same", "changed"]
    assert "+（三）完成交办的其他任务" in diff[3]["lines"]
    assert any(line.startswith("-") and "2024年3月1日" in line for line in diff[7]["lines"])


def test_division_duties_naming_a_missing_division_are_refused(centre, clerk, mandate_fields):
    fields = {**mandate_fields, "divisions": [*mandate_fields["divisions"], {"name": "稽核科", "duties": ["稽核"]}]}
    with pytest.raises(ValidationError) as error:
        services.mandate_create(by=clerk, institution=centre, **fields)
    assert "稽核科" in error.value.message_dict["divisions"][0]
    assert error.value.error_dict["divisions"][0].code == "unknown_division"
    assert not Mandate.objects.exists()


def test_only_a_draft_changes_and_only_the_city_office_approves(centre, clerk, daoli_office, nangang_office,
                                                                 mandate_fields, document_on):
    draft = services.mandate_create(by=daoli_office, institution=centre, **mandate_fields)
    with pytest.raises(PermissionDenied):
        services.mandate_update(mandate=draft, by=nangang_office, nature="改")
    with pytest.raises(PermissionDenied):
        services.mandate_approve(mandate=draft, by=daoli_office, document=document_on(DAY))
    with pytest.raises(ValidationError) as error:
        services.mandate_approve(mandate=draft, by=clerk, document=None)
    assert error.value.error_dict["document"][0].code == "required"
    services.mandate_approve(mandate=draft, by=clerk, document=document_on(DAY))
    with pytest.raises(ConflictError):
        services.mandate_update(mandate=draft, by=daoli_office, nature="改")
    draft.refresh_from_db()
    assert draft.nature == mandate_fields["nature"]


def test_a_template_placeholder_must_be_known_and_the_template_is_the_citys(city, daoli):
    template = MandateTemplate(region=city, purpose="根据{unknown}制定。")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "purpose" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        MandateTemplate(region=daoli).full_clean()
    assert error.value.error_dict["region"][0].code == "not_city"
