"""Chinese everywhere the user looks: every page of the demo city, rendered in zh-hans for each role, shows no English
word but names, codes, numbers and a short list of technical terms.

Pages: the home page, every page of ours (each URL pattern outside the admin and the API, with a real object of the
demo the role may see), the admin index, each admin changelist, one change page and the history page of each model
the role may see. Only the text a reader sees is checked: tags, scripts, styles and attribute values are dropped.
A failure lists each page with its English words. One request per page, one logged-in client per role.

Run from ``test_loaded_city.py``, which holds the loaded city (see ``test_demo_standards.py`` for why).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import etree
from lxml import html as lxml_html

from accounts.models import UserProfile
from accounts.roles import Role
from accounts.scoping import scope_queryset
from allocation.models import AllocationScenario
from finance.models import PayrollCheck
from institutions.models import ApprovalDocument, Institution, Region
from mandates.models import Charter, Mandate
from reconciliation.models import PositionDirectionNotice
from reforms.models import ReformOperation, ReformPlan
from workflow.models import HiringPlan, QuotaUseNotice, ReclamationPreview, StaffMovement, TurnoverLoan
from workflow.printouts import ISSUED_STATES

__test__ = False  # collected through test_loaded_city.py
__all__ = ["test_every_page_of_the_demo_speaks_chinese_to_every_role"]

# Words a Chinese page may show: file formats, standards and the names of the API's tools (Swagger UI).
ALLOWED = {word.lower() for word in (
    "API", "REST", "UI", "xlsx", "docx", "Excel", "Word", "PDF", "HTML", "OpenAPI", "ReDoc", "Swagger", "ID", "URL",
    "JSON", "CSV", "GB", "Token", "Django", "English", "webhook", "webhooks", "HMAC", "SHA", "OFD", "JPG", "PNG", "MB",
    "docxtpl",
)}
# Text that is not a word: web addresses, the Word templates' placeholders ({unit}), and the demo's bilingual
# disclaimer, which the demo writes into its rows on purpose.
NOT_WORDS = re.compile(r"https?://\S+|\{[a-z_]+\}|/\s*illustrative(?: demo)?(?: data)?(?:, not official figures)?")
# Prefixes of URL patterns that are not pages of ours (the admin is walked through its registry).
SKIPPED = ("admin/", "api/", "i18n/", "healthz", "__debug__/")
# Names of the URLs that serve files (workbooks, Word files, templates, JSON, a document's file), not pages: not
# requested.
FILES = ("xlsx", "docx", "template", "json", "document-file")
# Pages of a user's own import job: the demo city has none (positions/tests/test_import_changes.py renders them).
NOT_IN_THE_DEMO = ("position_imports:job", "position_imports:progress", "position_imports:confirm")
# Each page with an object: the rows to take the first the role may see from.
OBJECTS: dict[str, Callable] = {
    "allocation:scenario": lambda: AllocationScenario.objects.all(),
    "allocation:scenario-status": lambda: AllocationScenario.objects.all(),
    "allocation:scenario-weights": lambda: AllocationScenario.objects.all(),  # POST only: the GET is refused
    "finance:payroll-check": lambda: PayrollCheck.objects.order_by("-month", "-version"),
    "mandates:unit": lambda: Institution.objects.filter(mandates__isnull=False).distinct(),
    "portal:document": lambda: ApprovalDocument.objects.filter(quota_transfers__isnull=False).order_by("pk"),
    "portal:unit": lambda: Institution.objects.filter(quota_accounts__balance__gt=0).distinct(),
    "reconciliation:notice": lambda: PositionDirectionNotice.objects.all(),
    "reforms:plan_detail": lambda: ReformPlan.objects.order_by("status", "pk"),  # the draft first
    "reforms:plan_edit": lambda: ReformPlan.objects.filter(status="draft"),
    "reforms:plan_to_standard": lambda: ReformPlan.objects.filter(status="draft"),  # POST only
    "reforms:operation_create": lambda: ReformPlan.objects.filter(status="draft"),
    "reforms:operation_edit": lambda: ReformOperation.objects.filter(plan__status="draft"),
    "reforms:operation_remove": lambda: ReformOperation.objects.filter(plan__status="draft"),  # POST only
    "standards:unit": lambda: Institution.objects.filter(service_figures__isnull=False).distinct(),
    "workflow:plan_detail": lambda: HiringPlan.objects.all(),
    "workflow:reclamation_preview": lambda: ReclamationPreview.objects.all(),  # the demo has none: the tests do
    "workflow:reclamation_preview_progress": lambda: ReclamationPreview.objects.all(),
    "workflow:plan_edit": lambda: HiringPlan.objects.filter(status="draft"),
    "workflow:notice_detail": lambda: QuotaUseNotice.objects.all(),
    "workflow:notice_edit": lambda: QuotaUseNotice.objects.filter(status="draft"),
    "workflow:quota-use-notice-print": lambda: QuotaUseNotice.objects.filter(number__isnull=False,
                                                                             status__in=ISSUED_STATES),
    "workflow:movement_detail": lambda: StaffMovement.objects.all(),
    "workflow:loan_detail": lambda: TurnoverLoan.objects.all(),
    "workflow:loan_edit": lambda: TurnoverLoan.objects.filter(status="draft"),
}
VERSIONS = {"mandate": Mandate, "charter": Charter}  # mandates:version takes a kind and a pk
ROLES = (Role.CITY_OFFICE, Role.DISTRICT_OFFICE, Role.HR_BUREAU, Role.ORGANISATION_DEPARTMENT, Role.AUDITOR,
         Role.FINANCE_SYSTEM)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@'/-]*")


def visible_text(page: str) -> str:
    """The text of a page as a reader sees it: no tags, attribute values, comments, scripts, styles or hidden
    templates; the pieces between tags apart, so that a word beside a number in the next cell stays a word."""
    tree = lxml_html.document_fromstring(page)
    for hidden in tree.xpath("//script|//style|//template|//noscript"):
        hidden.drop_tree()  # its tail, the text after it, stays
    return " ".join(tree.itertext(tag=etree.Element))


def english_words(html: str, names: set[str]) -> set[str]:
    """The English words of a page's visible text: tokens with a letter and no digit, dot or slash (those make a
    code, a number, a document number or a file's path), not a username and not on the allow-list."""
    found = set()
    for token in WORD.findall(NOT_WORDS.sub(" ", visible_text(html))):
        token = token.strip("._-/'@")
        if (len(token) > 1 and not any(char.isdigit() or char in "./" for char in token)
                and token.lower() not in ALLOWED and token not in names):
            found.add(token)
    return found


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, inner)
        elif entry.name:
            yield route, namespace + entry.name, entry


def our_pages(user) -> tuple[list[str], list[str]]:
    """The URL of each page of ours the user may open, with a real object where the page needs one; and the patterns
    that need an object this module does not know how to find (a new page: add it to OBJECTS)."""
    urls, unknown = [], []
    for route, name, pattern in _patterns(get_resolver()):
        if route.startswith(SKIPPED) or name.endswith(FILES) or name in NOT_IN_THE_DEMO:
            continue
        params = set(pattern.pattern.converters)
        if not params:
            urls.append(reverse(name))
        elif params == {"kind", "pk"} and name.startswith("mandates:"):
            for kind, model in VERSIONS.items():
                row = scope_queryset(model.objects.all(), user).first()
                if row is not None:
                    urls.append(reverse(name, kwargs={"kind": kind, "pk": row.pk}))
        elif params == {"pk"} and name in OBJECTS:
            row = scope_queryset(OBJECTS[name](), user).first()
            if row is not None:
                urls.append(reverse(name, kwargs={"pk": row.pk}))
        else:
            unknown.append(name)
    return urls, unknown


def admin_pages(user) -> list[str]:
    """The admin index, and per model the user may view: its changelist, one change page and its history."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        row = model_admin.get_queryset(request).order_by("-pk").first()
        if row is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[row.pk]))
    return urls


def leaks_of(client: Client, urls: list[str], names: set[str]) -> dict[str, set[str]]:
    """Each HTML page with the English words it shows (a page that fails shows its status instead)."""
    leaks = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code >= 500:
            leaks[url] = {f"HTTP {response.status_code}"}
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        words = english_words(response.content.decode(), names)
        if words:
            leaks[url] = words
    return leaks


def _user(role: str):
    """A staff user of ``role``; the district office is Daoli's (道里区)."""
    region = Region.objects.get(code="230102") if role == Role.DISTRICT_OFFICE else None
    user = get_user_model().objects.create_user(username=f"ascii-{role}", password="pw-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    UserProfile.objects.create(user=user, region=region)
    return user


def test_every_page_of_the_demo_speaks_chinese_to_every_role(db):
    names = set(get_user_model().objects.values_list("username", flat=True))
    report, unknown, pages = [], set(), 0
    for role in ROLES:
        user = _user(role)
        names.add(user.username)
        client = Client(raise_request_exception=False)  # a page that fails is reported with the others
        client.force_login(user)
        ours, missing = our_pages(user)
        unknown.update(missing)
        urls = ours + admin_pages(user)
        pages += len(urls)
        for url, words in leaks_of(client, urls, names).items():
            report.append(f"{role} {url}: {', '.join(sorted(words))}")

    if unknown:
        report.append(f"pages this test cannot find an object for (add them to OBJECTS): {', '.join(sorted(unknown))}")
    assert not report, f"{len(report)} of {pages} pages show English:\n" + "\n".join(report)
