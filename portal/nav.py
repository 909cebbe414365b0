"""The menu of every page, by task, each entry shown only to those who may open it; and the breadcrumbs.

An entry names its page by URL name and carries the guard its view has, in a form the menu can ask: ``ANY_ROLE``
for the pages behind ``accounts.pages.role_required`` (a role, or a superuser), ``roles(...)`` for a page that lets
in only some roles, ``AdminGuard(model)`` for an admin changelist, where the admin itself is asked (a staff login
and the model admin's view permission, as the admin decides). ``portal/tests/test_frame.py`` opens every entry as
every role and fails when an entry and its view disagree.

The context processor ``menu`` is lazy: a template that never reads ``menu`` (the admin's) costs nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, user_roles
from positions.import_pages import kinds_for as import_kinds_for


# --- guards: who may open a page -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoleGuard:
    """A page for the holders of ``roles`` (``None``: of any role), and for superusers."""

    roles: tuple[str, ...] | None = None

    def allows(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return False
        if self.roles is None:
            return user.is_superuser or bool(user_roles(user))
        return has_role(user, *self.roles)


@dataclass(frozen=True)
class AdminGuard:
    """An admin page of ``model`` (``"app_label.ModelName"``): what the admin site and its model admin let in."""

    model: str

    def allows(self, request) -> bool:
        model = apps.get_model(self.model)
        return (admin.site.is_registered(model) and admin.site.has_permission(request)
                and admin.site.get_model_admin(model).has_view_or_change_permission(request))


@dataclass(frozen=True)
class LoginGuard:
    """A page for any active login, with or without a role (the API's schema and its documentation)."""

    def allows(self, request) -> bool:
        return request.user.is_authenticated and request.user.is_active


@dataclass(frozen=True)
class AdminSiteGuard:
    """The admin's index: a staff login, as the admin site decides."""

    def allows(self, request) -> bool:
        return admin.site.has_permission(request)


@dataclass(frozen=True)
class UserGuard:
    """A page whose view asks a question of the user (``test(user)``): the menu asks the same one."""

    test: Callable

    def allows(self, request) -> bool:
        user = request.user
        return user.is_authenticated and user.is_active and bool(self.test(user))


ANY_ROLE = RoleGuard()
LOGGED_IN = LoginGuard()


def roles(*names: str) -> RoleGuard:
    return RoleGuard(roles=tuple(names))


def admin_changelist_url(model: str) -> str:
    app_label, name = model.lower().split(".")
    return f"admin:{app_label}_{name}_changelist"


# --- the menu --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """A page in the menu. ``also``: URL names of the pages under it (its detail pages), for the breadcrumbs."""

    label: str
    url_name: str
    guard: RoleGuard | AdminGuard | AdminSiteGuard | LoginGuard | UserGuard
    also: tuple[str, ...] = ()


def admin_entry(label, model: str) -> Entry:
    """An admin changelist, guarded by the admin; its change and other pages are under it."""
    return Entry(label, admin_changelist_url(model), AdminGuard(model))


@dataclass(frozen=True)
class Section:
    label: str
    entries: tuple[Entry, ...]


SECTIONS: tuple[Section, ...] = (
    Section(_("Registry and quotas"), (
        Entry(_("Administration (all data)"), "admin:index", AdminSiteGuard()),
        admin_entry(_("Institutions"), "institutions.Institution"),
        admin_entry(_("Regions"), "institutions.Region"),
        admin_entry(_("Approval documents"), "institutions.ApprovalDocument"),
        admin_entry(_("Quota ledger: accounts"), "quotas.QuotaAccount"),
        admin_entry(_("Quota ledger: transfers"), "quotas.QuotaTransfer"),
    )),
    Section(_("Quota approval and use"), (
        Entry(_("Inbox"), "workflow:inbox", roles(Role.CITY_OFFICE, Role.DISTRICT_OFFICE)),
        Entry(_("Hiring plans"), "workflow:plan_list", ANY_ROLE,
              also=("workflow:plan_create", "workflow:plan_detail", "workflow:plan_edit")),
        Entry(_("Quota-use requests"), "workflow:notice_list", ANY_ROLE,
              also=("workflow:notice_create", "workflow:notice_detail", "workflow:notice_edit")),
        Entry(_("Entries and exits"), "workflow:movement_list", ANY_ROLE,
              also=("workflow:movement_entry", "workflow:movement_exit", "workflow:movement_detail")),
        Entry(_("Turnover-pool loans"), "workflow:loan_list", ANY_ROLE,
              also=("workflow:loan_create", "workflow:loan_detail", "workflow:loan_edit")),
        Entry(_("Vacant-quota reclamation"), "workflow:reclamation", ANY_ROLE, also=("workflow:reclamation_preview",)),
    )),
    Section(_("Quotas, posts and staff"), (
        Entry(_("Reconciliation and quota-use directions"), "reconciliation:reconciliation", ANY_ROLE,
              also=("reconciliation:notice",)),
        admin_entry(_("Position plans"), "positions.PositionPlan"),
        admin_entry(_("Staff counts"), "positions.StaffCount"),
        Entry(_("Import HR files"), "position_imports:page", UserGuard(import_kinds_for),
              also=("position_imports:job",)),
    )),
    Section(_("Zero-based allocation"), (
        Entry(_("Allocation scenarios"), "allocation:scenarios", ANY_ROLE,
              also=("allocation:scenario", "allocation:scenario-compare")),
    )),
    Section(_("Reform"), (
        Entry(_("The reform's effect"), "reforms:effect", ANY_ROLE),
        Entry(_("Reform plans"), "reforms:plan_list", ANY_ROLE,
              also=("reforms:plan_create", "reforms:plan_detail", "reforms:plan_edit", "reforms:operation_create",
                    "reforms:operation_edit")),
        Entry(_("Standards"), "standards:standards", ANY_ROLE, also=("standards:unit",)),
        Entry(_("三定 regulations and charters"), "mandates:index", ANY_ROLE,
              also=("mandates:unit", "mandates:version")),
        Entry(_("Power lists"), "powers:powers", ANY_ROLE),
        Entry(_("Law-enforcement list"), "powers:enforcement", ANY_ROLE),
        Entry(_("Reform follow-up"), "tracking:tracking", ANY_ROLE),
    )),
    Section(_("Finance"), (
        Entry(_("Payroll check"), "finance:payroll", ANY_ROLE, also=("finance:payroll-check",)),
    )),
    Section(_("API documentation"), (
        Entry(_("API documentation (Swagger UI)"), "api-docs", LOGGED_IN),
        Entry(_("API reference (ReDoc)"), "api-redoc", LOGGED_IN),
    )),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str | None  # None: the current page (not a link)


class Menu:
    """The sections and entries this request's user may open, and where the current page sits among them."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def sections(self) -> list[tuple[str, list[Link]]]:
        shown = []
        for section in SECTIONS:
            links = [Link(entry.label, reverse(entry.url_name)) for entry in section.entries
                     if entry.guard.allows(self.request)]
            if links:
                shown.append((section.label, links))
        return shown

    @cached_property
    def may_search(self) -> bool:
        """The search of units is a page behind ``role_required``."""
        return ANY_ROLE.allows(self.request)

    @cached_property
    def crumbs(self) -> list[Link]:
        """Section › page (linked when the current page is one under it), for the page being shown."""
        match = getattr(self.request, "resolver_match", None)
        view_name = getattr(match, "view_name", None)
        for section in SECTIONS:
            for entry in section.entries:
                if view_name == entry.url_name:
                    return [Link(section.label, None), Link(entry.label, None)]
                if view_name in entry.also:
                    return [Link(section.label, None), Link(entry.label, reverse(entry.url_name))]
        return []


def menu(request) -> dict:
    """Context processor: ``menu`` (sections, crumbs, may_search), computed only if a template reads it."""
    return {"menu": SimpleLazyObject(lambda: Menu(request))}
