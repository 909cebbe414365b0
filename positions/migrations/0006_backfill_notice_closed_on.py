"""Closed notices get the day their reservation ended: expired ones the day after their last valid day, executed
ones the date of the entry that took them up in full, or else the day they were closed."""
import datetime

from django.db import migrations


def backfill(apps, schema_editor):
    QuotaUseNotice = apps.get_model("positions", "QuotaUseNotice")
    StaffMovement = apps.get_model("positions", "StaffMovement")
    RequestEvent = apps.get_model("positions", "RequestEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="positions", model="quotausenotice").first()
    for notice in QuotaUseNotice.objects.filter(status__in=["executed", "expired"], closed_on__isnull=True):
        if notice.status == "expired" and notice.valid_until:
            closed_on = notice.valid_until + datetime.timedelta(days=1)
        else:
            entries = StaffMovement.objects.filter(notice=notice).order_by("-date").values_list("date", flat=True)
            closed_on = entries.first() if notice.taken_up == notice.count else None
            if closed_on is None and content_type is not None:
                event = RequestEvent.objects.filter(content_type=content_type, object_id=notice.pk,
                                                    to_state="executed").order_by("-at").first()
                closed_on = event.at.date() if event else None
        if closed_on is not None:
            QuotaUseNotice.objects.filter(pk=notice.pk).update(closed_on=closed_on)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("positions", "0005_notice_closed_on_and_date_bounds"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
