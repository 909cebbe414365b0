"""The .docx read back, charters checked against the registry, party organisations and their post rule."""
from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.shared import Pt

from mandates import selectors, services
from mandates.documents import build_default_template
from mandates.models import Charter, Mandate, PartyEvent, PartyOrganisation
from mandates.tests.conftest import DAY, charter_texts

pytestmark = pytest.mark.django_db


def paragraphs(data: bytes) -> tuple[Document, list[str]]:
    document = Document(io.BytesIO(data))
    return document, [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


def test_the_regulation_docx_reads_back_with_its_articles_and_figures(funded_centre, clerk, mandate_fields,
                                                                       document_on, fund):
    document = document_on(datetime.date(2024, 3, 1))
    mandate = services.mandate_approve(mandate=services.mandate_create(
        by=clerk, institution=funded_centre, **mandate_fields), by=clerk, document=document)
    fund(funded_centre, 5, on=datetime.date(2024, 6, 1))
    docx, lines = paragraphs(selectors.docx_of(mandate, kind="mandate"))
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert lines[0] == document.number
    assert lines[1] == "道里区医疗保险服务中心职能配置、内设机构和人员编制规定"
    articles = [line for line in lines if line.startswith("第") and "条　" in line]
    assert [line.split("　")[0] for line in articles] == [
        "第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条"]
    sixth = lines.index(next(line for line in lines if line.startswith("第六条")))
    assert lines[sixth] == "第六条　道里区医疗保险服务中心核定事业编制20名。"  # the issue date's, not 25
    assert lines[sixth + 1] == "领导职数：1正2副。"
    assert lines[-1] == "2024年3月1日"
    title = next(paragraph for paragraph in docx.paragraphs if paragraph.text == lines[1])
    assert title.style.font.size == Pt(22) and title.style.font.name == "FZXiaoBiaoSong-B05S"
    assert docx.styles["Normal"].font.size == Pt(16) and docx.styles["Normal"].font.name == "FangSong"


def test_a_replaced_template_is_used(funded_centre, clerk, mandate_fields, tmp_path, settings):
    custom = build_default_template("mandate", tmp_path / "custom.docx")
    doc = Document(str(custom))
    doc.add_paragraph("本地模板")
    doc.save(str(custom))
    settings.MANDATES_DOCX_TEMPLATES = {"mandate": custom}
    mandate = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    _docx, lines = paragraphs(selectors.docx_of(mandate, kind="mandate"))
    assert lines[0] == "（草案）" and lines[-1] == "本地模板"


def test_a_charter_takes_the_registry_particulars_and_reads_back(centre, clerk, document_on):
    charter = services.charter_create(by=clerk, institution=centre, **charter_texts())
    assert (charter.name, charter.funding_source, charter.sponsor_id) == (
        centre.name, centre.funding_form, centre.supervisor_id)
    charter = services.charter_approve(charter=charter, by=clerk, document=document_on(DAY))
    _docx, lines = paragraphs(selectors.docx_of(charter, kind="charter"))
    assert lines[1] == "道里区医疗保险服务中心章程"
    chapters = [line for line in lines if line.startswith("第") and "章　" in line]
    assert len(chapters) == 7 and chapters[-1] == "第七章　终止和剩余财产处理"
    assert "开办资金：50.00万元" in next(line for line in lines if line.startswith("第一条"))
    assert selectors.in_force(Charter, centre, DAY).pk == charter.pk
    assert charter.opening_funds == Decimal("50.00")


def test_a_charter_whose_funding_differs_from_the_registry_is_refused(centre, clerk):
    with pytest.raises(ValidationError) as error:
        services.charter_create(by=clerk, institution=centre, funding_source="self_funded", **charter_texts())
    message = error.value.message_dict["funding_source"][0]
    assert "自收自支" in message and "全额拨款" in message  # both values, named
    assert error.value.error_dict["funding_source"][0].code == "differs_from_registry"
    assert not Charter.objects.exists()


def test_party_organisation_events_and_the_post_rule(centre, clerk, document_on):
    branch = services.party_organisation_establish(
        by=clerk, institution=centre, kind="branch", name="道里区医疗保险服务中心党支部",
        document=document_on(datetime.date(2021, 5, 1)), date=datetime.date(2021, 5, 1), deputy_posts=1)
    with pytest.raises(ValidationError) as error:  # a branch has at most one deputy
        services.party_organisation_adjust(by=clerk, organisation=branch, deputy_posts=2,
                                           document=document_on(datetime.date(2022, 1, 5)),
                                           date=datetime.date(2022, 1, 5))
    assert error.value.error_dict["deputy_posts"][0].code == "party_posts"
    services.party_organisation_adjust(by=clerk, organisation=branch, kind="general_branch",
                                       document=document_on(datetime.date(2022, 2, 1)), date=datetime.date(2022, 2, 1))
    services.party_organisation_rename(by=clerk, organisation=branch, name="道里区医疗保障服务中心党总支",
                                       document=document_on(datetime.date(2023, 1, 3)), date=datetime.date(2023, 1, 3))
    branch.refresh_from_db()
    assert (branch.kind, branch.name, branch.deputy_posts) == ("general_branch", "道里区医疗保障服务中心党总支", 1)
    events = list(PartyEvent.objects.filter(organisation=branch).values_list("kind", "former_kind", "former_name"))
    assert events == [("established", "", ""), ("adjusted", "branch", ""),
                      ("renamed", "", "道里区医疗保险服务中心党支部")]
    with pytest.raises(ValidationError) as error:  # a committee with 3 deputies: the rule allows 2
        services.party_organisation_establish(by=clerk, institution=centre, kind="committee", name="党委",
                                              document=document_on(DAY), date=DAY, deputy_posts=3)
    assert "deputy_posts" in error.value.message_dict
    assert PartyOrganisation.objects.count() == 1 and not Mandate.objects.exists()


def test_a_template_uploaded_on_the_city_template_wins(funded_centre, clerk, mandate_fields, tmp_path, settings):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    custom = build_default_template("mandate", tmp_path / "uploaded.docx")
    doc = Document(str(custom))
    doc.add_paragraph("上传的模板")
    doc.save(str(custom))
    template = selectors.template_for(funded_centre)
    template.mandate_docx.save("mandate.docx", ContentFile(custom.read_bytes()))
    mandate = services.mandate_create(by=clerk, institution=funded_centre, **mandate_fields)
    _docx, lines = paragraphs(selectors.docx_of(mandate, kind="mandate"))
    assert lines[-1] == "上传的模板" and any(line.startswith("第六条") for line in lines)


def test_a_charter_repeats_the_registered_address_and_opening_funds_where_the_registry_holds_them(centre, clerk):
    texts = charter_texts()
    centre.address, centre.opening_funds = "哈尔滨市道里区经纬街1号", Decimal("80.00")
    centre.save()
    with pytest.raises(ValidationError) as error:  # the registry's funds are 80, the charter says 50
        services.charter_create(by=clerk, institution=centre, **texts)
    assert error.value.error_dict["opening_funds"][0].code == "differs_from_registry"
    assert "address" not in error.value.error_dict  # the same address
    assert not Charter.objects.exists()

    given = {key: value for key, value in texts.items() if key not in ("address", "opening_funds")}
    charter = services.charter_create(by=clerk, institution=centre, **given)  # not given: the registry's

    assert (charter.address, charter.opening_funds) == ("哈尔滨市道里区经纬街1号", Decimal("80.00"))
