"""Set up the embedded demo site: the demo city and the demo logins (created once)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.models import UserProfile
from accounts.roles import Role
from institutions.models import Region

DEMO_PASSWORD = "demo-2026"  # noqa: S105 -- illustrative site on 127.0.0.1 only

# username, role, region code (district users only)
DEMO_USERS = [
    ("city", Role.CITY_OFFICE, None),
    ("daoli", Role.DISTRICT_OFFICE, "230102"),
    ("hr", Role.HR_BUREAU, None),
    ("auditor", Role.AUDITOR, None),
    ("finance", Role.FINANCE_SYSTEM, None),
]


class Command(BaseCommand):
    help = "Load the demo city, create the demo logins once, and print the logins."

    def handle(self, *args, **options) -> None:
        call_command("load_demo", stdout=self.stdout)
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
        for username, role, region_code in DEMO_USERS:
            self._demo_user(username, role, region_code)
        self.stdout.write(
            self.style.SUCCESS(
                "\n演示站点 / demo site: http://127.0.0.1:8000/\n"
                f"  管理员 / superuser:  admin / {DEMO_PASSWORD}\n"
                f"  市编办 city office:   city / {DEMO_PASSWORD}\n"
                f"  道里区编办 district:  daoli / {DEMO_PASSWORD}\n"
                f"  人社局 HR bureau:     hr / {DEMO_PASSWORD}\n"
                f"  审计 auditor:         auditor / {DEMO_PASSWORD}\n"
                f"  财政系统 finance API: finance / {DEMO_PASSWORD}"
                " (token: python manage.py issue_token finance)\n"
            )
        )

    def _demo_user(self, username: str, role: str, region_code: str | None) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        region = None
        if region_code:
            region = Region.objects.filter(code=region_code).first()
        UserProfile.objects.update_or_create(user=user, defaults={"region": region})
