"""The pages: the index, a unit's versions with the one in force, a version with its diff, the .docx; scoped."""
from __future__ import annotations

import pytest
from django.urls import reverse

from mandates import services
from mandates.tests.conftest import DAY, charter_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(funded_centre, clerk, mandate_fields, document_on):
    first = services.mandate_approve(mandate=services.mandate_create(
        by=clerk, institution=funded_centre, **mandate_fields), by=clerk, document=document_on(DAY))
    second = services.mandate_create(by=clerk, institution=funded_centre,
                                     **{**mandate_fields, "duties": ["只有一项职责"]})
    charter = services.charter_create(by=clerk, institution=funded_centre, **charter_texts())
    services.party_organisation_establish(by=clerk, institution=funded_centre, kind="branch", name="中心党支部",
                                          document=document_on(DAY), date=DAY)
    return first, second, charter


def test_the_pages_show_versions_in_force_the_diff_and_the_docx(client, daoli_office, versions):
    first, second, charter = versions
    client.force_login(daoli_office)
    index = client.get(reverse("mandates:index"))
    assert index.status_code == 200 and "道里区医疗保险服务中心" in index.content.decode()
    unit = client.get(reverse("mandates:unit", args=[first.institution_id]))
    assert unit.status_code == 200 and unit.context["current"]["mandate"].pk == first.pk
    assert unit.context["current"]["charter"] is None and "中心党支部" in unit.content.decode()
    page = client.get(reverse("mandates:version", args=["mandate", second.pk]), {"against": first.pk})
    assert page.status_code == 200
    assert [row["number"] for row in page.context["diff"]["articles"] if row["status"] == "changed"] == [4, 8]
    assert "核定事业编制20名" in page.content.decode()
    docx = client.get(reverse("mandates:docx", args=["charter", charter.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E7%AB%A0%E7%A8%8B" in docx["Content-Disposition"]  # 章程: the file is named in Chinese
    assert client.get(reverse("mandates:version", args=["other", first.pk])).status_code == 404


def test_another_regions_unit_is_not_found(client, nangang_office, versions):
    first, _second, charter = versions
    client.force_login(nangang_office)
    assert client.get(reverse("mandates:unit", args=[first.institution_id])).status_code == 404
    assert client.get(reverse("mandates:version", args=["mandate", first.pk])).status_code == 404
    assert client.get(reverse("mandates:docx", args=["charter", charter.pk])).status_code == 404
    assert "道里区医疗保险服务中心" not in client.get(reverse("mandates:index")).content.decode()
