"""One event as the feed and the webhooks show it: the same JSON in both."""
from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from outbox.models import ChangeEvent
from quotas.models import QuotaType


def quota_type_codes() -> dict[int, str]:
    return dict(QuotaType.objects.values_list("pk", "code"))


def event_json(event: ChangeEvent, codes: dict[int, str]) -> dict:
    """``event`` with its unit and region selected (``select_related("institution", "region")``)."""
    data = dict(event.data)
    if "quota_type" in data:
        data["quota_type"] = codes.get(data["quota_type"], data["quota_type"])
    unit = event.institution
    return {
        "id": event.pk,
        "position": event.position,
        "kind": event.kind,
        "occurred_at": timezone.localtime(event.occurred_at).isoformat(),
        "institution": None if unit is None else {"id": unit.pk, "credit_code": unit.credit_code, "name": unit.name},
        "region": None if event.region is None else {"id": event.region.pk, "code": event.region.code},
        "data": data,
    }


def events_json(events: Iterable[ChangeEvent]) -> list[dict]:
    codes = quota_type_codes()
    return [event_json(event, codes) for event in events]
