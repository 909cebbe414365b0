"""A plan's preview as the pages and the admin show it: the service's figures turned into table rows with labels."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from institutions.choices import InstitutionStatus
from quotas.choices import QuotaTypeCode
from reforms import services
from reforms.models import ReformPlan
from workflow import states as workflow

# The states in which a plan's preview is shown; after them the registry and the ledger show what it did.
PREVIEWED_STATES = (workflow.DRAFT, workflow.SUBMITTED, workflow.APPROVED)


def _quotas_text(figures: dict[str, Any] | None) -> str:
    if figures is None:
        return "—"
    parts = [f"{QuotaTypeCode(code).label} {value['held']}" for code, value in figures["quotas"].items()]
    return "; ".join(parts) or "0"


def preview_rows(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The preview's units as table rows: name, status, quotas held and staff in quota, before and after."""
    rows = []
    for unit in units:
        before, after = unit["before"], unit["after"]
        rows.append({
            "name": after["name"],
            "former_name": before["name"] if before and before["name"] != after["name"] else "",
            "status_before": InstitutionStatus(before["status"]).label if before else gettext("new"),
            "status_after": InstitutionStatus(after["status"]).label,
            "quotas_before": _quotas_text(before), "quotas_after": _quotas_text(after),
            "staff_before": before["staff_total"] if before else "—", "staff_after": after["staff_total"],
        })
    return rows


def preview_context(plan: ReformPlan) -> dict[str, Any]:
    """What ``reforms/preview.html`` shows of the plan on its date (problems, units, regions); nothing is written."""
    preview = services.reform_plan_preview(plan)
    return {
        "problems": preview["problems"], "notes": preview["notes"], "units": preview_rows(preview["units"]),
        "regions": preview["regions"], "operations": [
            {**operation, "rows": preview_rows(operation["units"])} for operation in preview["operations"]]}
