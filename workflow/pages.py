"""The district's and the city's workflow pages (under /positions/): hiring plans, quota-use notices, entries and
exits with their 人走编收 offers, and turnover-pool loans with their returns.

Thin: every write is a service of ``workflow.hiring`` / ``workflow.loans`` (state moves through
``workflow.actions.request_act``), which checks the role, the region, the state and the rules. A page only offers
what the state table (``workflow.states``) and the actor checks (``workflow.transitions``) allow this user, puts a
service's ``ValidationError`` back on its form, and answers 404 for another region's row and 403 for a refused
role. The reform's plan pages (``reforms.pages``) are built from the same public helpers below, with their own
action table.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.pages import role_required
from accounts.scoping import home_region, scope_queryset
from core.forms import put_errors
from workflow import hiring, loans
from workflow import states as workflow
from workflow.actions import ACTIONS
from workflow.forms import (
    DecisionForm,
    EntryForm,
    ExitForm,
    HiringPlanForm,
    HiringPlanLineFormSet,
    LoanReturnForm,
    OfferDecisionForm,
    QuotaUseNoticeForm,
    ReturnPlanFormSet,
    StateFilterForm,
    TurnoverLoanForm,
)
from workflow.models import HiringPlan, LoanReturnOffer, QuotaUseNotice, StaffMovement, TurnoverLoan
from workflow.models.hiring import MovementKind
from workflow.models.loans import OfferState
from workflow.models.requests import RequestAction
from workflow.transitions import may_decide, may_propose

PER_PAGE = 50

# The input each action's form asks for (the services ignore anything else); the loan's execute is its settlement.
ACTION_FIELDS = {
    workflow.SUBMIT: (),
    workflow.WITHDRAW: ("reason",),
    workflow.APPROVE: ("document", "reason"),
    workflow.REJECT: ("reason", "document"),
    workflow.EXECUTE: ("reason",),
}
DATED = {QuotaUseNotice: (workflow.APPROVE,), TurnoverLoan: (workflow.SUBMIT, workflow.APPROVE, workflow.EXECUTE)}
LOAN_EXECUTE_FIELDS = ("document",)

DETAIL_URL = {HiringPlan: "workflow:plan_detail", QuotaUseNotice: "workflow:notice_detail",
              TurnoverLoan: "workflow:loan_detail"}


# --- who may do what (read from the state table and the actor checks, never a second table) ----------------------
def may_file(user) -> bool:
    """Whether the user may file requests at all: the city office, or a district office in its region."""
    region = home_region(user)
    return may_propose(user, region_id=region.pk if region else None)


def may_take(user, action: str, request) -> bool:
    """Whether ``user`` is the actor ``action`` needs on ``request`` (proposer of its region, or decider)."""
    actor = workflow.ACTION_ACTOR[action]
    if actor == workflow.PROPOSER:
        return may_propose(user, region_id=request.proposal_region_id())
    if actor == workflow.DECIDER:
        return may_decide(user)
    return False  # the system's


def offered_actions(user, request) -> list[str]:
    """The actions of ``request``'s state this user may take, in the table's order."""
    return [action for action in request.actions if may_take(user, action, request)]


def may_edit(user, request) -> bool:
    return workflow.is_editable(request.status) and may_propose(user, region_id=request.proposal_region_id())


# --- helpers ------------------------------------------------------------------------------------------------------
def require_filer(user) -> None:
    if not may_file(user):
        raise PermissionDenied


def scoped_get(queryset, user, pk: int):
    """The row if the user's regions see it; another region's row is a 404."""
    return get_object_or_404(scope_queryset(queryset, user), pk=pk)


def list_page(request, queryset) -> dict:
    """The state filter and one page of the list."""
    filters = StateFilterForm(request.GET or None)
    if filters.is_bound and filters.is_valid() and filters.cleaned_data["status"]:
        queryset = queryset.filter(status=filters.cleaned_data["status"])
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filters": filters, "page": page, "query": query.urlencode(), "may_file": may_file(request.user)}


def _events(request) -> list:
    return list(request.events.select_related("by", "document").order_by("at", "pk"))


def _action_forms(user, request, bound: DecisionForm | None = None) -> list[dict]:
    """One form per action offered: its label, the fields it asks for, and (after a refusal) the bound form."""
    forms = []
    dated = DATED.get(type(request), ())
    for action in offered_actions(user, request):
        names = ACTION_FIELDS[action]
        if isinstance(request, TurnoverLoan) and action == workflow.EXECUTE:
            names = LOAN_EXECUTE_FIELDS
        if action in dated:
            names = (*names, "date")
        if bound is not None and bound.data.get("action") == action:
            form = bound
        else:
            form = DecisionForm(initial={"action": action}, auto_id=f"id_{action}_%s")
        forms.append({"action": action, "label": RequestAction(action).label, "form": form,
                      "fields": [form[name] for name in names], "danger": action in workflow.NEEDS_REASON})
    return forms


def _unshown_errors(bound: DecisionForm | None, action_forms: list[dict]) -> list[str]:
    """A refused action no longer offered in the state found (decided meanwhile): its errors, shown above."""
    if bound is None or any(item["form"] is bound for item in action_forms):
        return []
    return [text for texts in bound.errors.values() for text in texts]


def _act(http_request, request, actions: dict, detail_url: str):
    """Take the posted action through its service in ``actions``; a redirect when done, else the bound form with its
    errors. A role the action refuses raises ``PermissionDenied`` (403)."""
    action = http_request.POST.get("action", "")
    if action in workflow.ACTION_ACTOR and not may_take(http_request.user, action, request):
        raise PermissionDenied
    form = DecisionForm(http_request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    if data["action"] not in actions:  # the system's (expiry) or no move at all
        form.add_error(None, _("This action cannot be taken here."))
        return None, form
    try:
        actions[data["action"]](request, by=http_request.user, document=data["document"], reason=data["reason"],
                                day=data["date"])
    except ValidationError as error:
        put_errors(form, error)
        return None, form
    messages.success(http_request, _("Done: %(action)s.") % {"action": RequestAction(data["action"]).label})
    return redirect(detail_url, pk=request.pk), form


def request_page(http_request, request, template: str, problems, *, actions: dict | None = None,
                 detail_url: str = "", **extra):
    """A request's page: its facts (template), problems, history and the actions offered; POST takes one.
    ``actions`` (action → service) and ``detail_url`` default to the workflow's own for its kinds of request; the
    reform's plans pass theirs."""
    bound = None
    if http_request.method == "POST" and http_request.POST.get("form") == "action":
        done, bound = _act(http_request, request, ACTIONS[type(request)] if actions is None else actions,
                           detail_url or DETAIL_URL[type(request)])
        if done is not None:
            return done
        request.refresh_from_db()
    user = http_request.user
    action_forms = _action_forms(user, request, bound)
    context = {
        "request_obj": request, "events": _events(request), "problems": problems(request),
        "action_forms": action_forms, "refusal": _unshown_errors(bound, action_forms),
        "may_edit": may_edit(user, request), **extra,
    }
    return render(http_request, template, context)


def open_problems(compute):
    """Problems are shown while the request is still to be decided."""
    def problems(request):
        if request.status in (workflow.DRAFT, workflow.SUBMITTED):
            return compute(request)
        return {}
    return problems


def edit_guard(user, request) -> None:
    if not may_propose(user, region_id=request.proposal_region_id()):
        raise PermissionDenied


def cleaned_rows(formset) -> list[dict]:
    """The formset's rows that are filled in and not deleted, without the delete flag."""
    rows = []
    for form in formset.forms:
        data = dict(form.cleaned_data or {})
        if not data or data.pop("DELETE", False):
            continue
        rows.append(data)
    return rows


def form_page(http_request, *, title: str, form, formset=None, formset_title: str = "", cancel_url: str,
              template: str = "workflow/request_form.html"):
    return render(http_request, template, {"title": title, "form": form, "formset": formset,
                                           "formset_title": formset_title, "cancel_url": cancel_url})


def _saved(http_request, request, text: str):
    messages.success(http_request, text)
    return redirect(DETAIL_URL[type(request)], pk=request.pk)


def all_valid(*forms) -> bool:
    results = [form.is_valid() for form in forms]  # every form validated, for every error at once
    return all(results)


# --- hiring plans -------------------------------------------------------------------------------------------------
PLANS = HiringPlan.objects.select_related("institution__region", "document", "decided_by")


@role_required
@require_http_methods(["GET"])
def plan_list(request):
    """Hiring plans the user sees, newest year first, filtered by state."""
    queryset = scope_queryset(PLANS.prefetch_related("lines"), request.user).order_by("-year", "-pk")
    return render(request, "workflow/request_plan_list.html", list_page(request, queryset))


@role_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """File a draft hiring plan with its lines."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    form = HiringPlanForm(data, user=request.user)
    lines = HiringPlanLineFormSet(data, prefix="lines")
    if data is not None and all_valid(form, lines):
        try:
            plan = hiring.hiring_plan_create(by=request.user, lines=cleaned_rows(lines), **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, plan, _("The hiring plan is filed as a draft."))
    return form_page(request, title=_("New hiring plan"), form=form, formset=lines,
                     formset_title=_("Planned entrants"), cancel_url="workflow:plan_list")


@role_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    """Change a draft plan and its lines."""
    plan = scoped_get(PLANS, request.user, pk)
    edit_guard(request.user, plan)
    if not workflow.is_editable(plan.status):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("workflow:plan_detail", pk=plan.pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(plan, name) for name in ("institution", "year", "expected_leavers",
                                                      "supervisor_opinion", "note")}
    form = HiringPlanForm(data, user=request.user, editing=True, initial=initial)
    lines = HiringPlanLineFormSet(data, prefix="lines", initial=[
        {"quota_type": line.quota_type, "category": line.category, "count": line.count}
        for line in plan.lines.select_related("quota_type")])
    if data is not None and all_valid(form, lines):
        changes = {key: value for key, value in form.cleaned_data.items() if key != "institution"}
        try:
            plan = hiring.hiring_plan_update(plan=plan, by=request.user, lines=cleaned_rows(lines), **changes)
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, plan, _("The hiring plan is saved."))
    return form_page(request, title=_("Change the hiring plan"), form=form, formset=lines,
                     formset_title=_("Planned entrants"), cancel_url="workflow:plan_list")


@role_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    """A hiring plan: its lines, problems, notices under it, history and the actions offered."""
    plan = scoped_get(PLANS, request.user, pk)
    return request_page(request, plan, "workflow/request_plan_detail.html",
                        open_problems(hiring.hiring_plan_problems),
                        lines=list(plan.lines.select_related("quota_type")),
                        notices=list(plan.notices.select_related("quota_type").order_by("-pk")),
                        may_file_notice=may_propose(request.user, region_id=plan.proposal_region_id()))


# --- quota-use notices --------------------------------------------------------------------------------------------
NOTICES = QuotaUseNotice.objects.select_related("institution__region", "quota_type", "hiring_plan", "document",
                                                "decided_by")


@role_required
@require_http_methods(["GET"])
def notice_list(request):
    """Quota-use requests and notices the user sees, newest first, filtered by state."""
    queryset = scope_queryset(NOTICES, request.user).order_by("-created_at", "-pk")
    return render(request, "workflow/request_notice_list.html", list_page(request, queryset))


def _notice_fields(form) -> dict:
    return {key: value for key, value in form.cleaned_data.items() if key != "institution"}


@role_required
@require_http_methods(["GET", "POST"])
def notice_create(request):
    """File a draft quota-use request for one hire batch."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {}
    if data is None and request.GET.get("plan", "").isdigit():
        plan = scope_queryset(HiringPlan.objects.all(), request.user).filter(pk=request.GET["plan"]).first()
        if plan is not None:
            initial = {"institution": plan.institution_id, "hiring_plan": plan.pk}
    form = QuotaUseNoticeForm(data, user=request.user, initial=initial)
    if data is not None and form.is_valid():
        try:
            notice = hiring.quota_use_notice_create(by=request.user, institution=form.cleaned_data["institution"],
                                                    **_notice_fields(form))
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, notice, _("The quota-use request is filed as a draft."))
    return form_page(request, title=_("New quota-use request"), form=form, cancel_url="workflow:notice_list")


@role_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk: int):
    """Change a draft quota-use request."""
    notice = scoped_get(NOTICES, request.user, pk)
    edit_guard(request.user, notice)
    if not workflow.is_editable(notice.status):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("workflow:notice_detail", pk=notice.pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(notice, name) for name in ("institution", "hiring_plan", "quota_type", "category",
                                                        "count", "supervisor_opinion", "note")}
    form = QuotaUseNoticeForm(data, user=request.user, editing=True, initial=initial)
    if data is not None and form.is_valid():
        try:
            notice = hiring.quota_use_notice_update(notice=notice, by=request.user, **_notice_fields(form))
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, notice, _("The quota-use request is saved."))
    return form_page(request, title=_("Change the quota-use request"), form=form, cancel_url="workflow:notice_list")


@role_required
@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    """A quota-use request or notice: its figures, problems, entries, history and the actions offered."""
    notice = scoped_get(NOTICES, request.user, pk)
    return request_page(request, notice, "workflow/request_notice_detail.html",
                        open_problems(hiring.quota_use_notice_problems),
                        entries=list(notice.entries.order_by("-date", "-pk")),
                        may_enter=notice.status == workflow.APPROVED and may_propose(
                            request.user, region_id=notice.proposal_region_id()))


# --- entries and exits --------------------------------------------------------------------------------------------
MOVEMENTS = StaffMovement.objects.select_related("institution__region", "notice", "created_by")


@role_required
@require_http_methods(["GET"])
def movement_list(request):
    """Entries and exits the user sees, newest first."""
    queryset = scope_queryset(MOVEMENTS, request.user).order_by("-date", "-pk")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workflow/movement_list.html", {"page": page, "query": "",
                                                            "may_file": may_file(request.user)})


def _movement_fields(form, *names) -> dict:
    data = form.cleaned_data
    return {"on": data["date"], "count": data["count"], "band": data["band"], "reason": data["reason"],
            "person_name": data["person_name"], "note": data["note"], **{name: data[name] for name in names}}


@role_required
@require_http_methods(["GET", "POST"])
def movement_entry(request):
    """Record an entry onto the quota (入编) against an issued notice."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {"notice": request.GET["notice"]} if request.GET.get("notice", "").isdigit() else {}
    form = EntryForm(data, user=request.user, initial=initial)
    if data is not None and form.is_valid():
        try:
            movement = hiring.staff_entry_record(by=request.user, **_movement_fields(form, "notice"))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The entry is recorded."))
            return redirect("workflow:movement_detail", pk=movement.pk)
    return form_page(request, title=_("Record an entry onto the quota"), form=form,
                     cancel_url="workflow:movement_list")


@role_required
@require_http_methods(["GET", "POST"])
def movement_exit(request):
    """Record an exit from the quota (出编) of a unit; a borrowing unit's exit offers a return (人走编收)."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    form = ExitForm(data, user=request.user)
    if data is not None and form.is_valid():
        try:
            movement = hiring.staff_exit_record(by=request.user,
                                                **_movement_fields(form, "institution", "category"))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The exit is recorded."))
            return redirect("workflow:movement_detail", pk=movement.pk)
    return form_page(request, title=_("Record an exit from the quota"), form=form,
                     cancel_url="workflow:movement_list")


def _decide_offer(http_request, offers) -> OfferDecisionForm | None:
    """Accept or decline one of ``offers`` (city office); the bound form after a refusal, None when done."""
    if not may_decide(http_request.user):
        raise PermissionDenied
    form = OfferDecisionForm(http_request.POST)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    offer = get_object_or_404(offers, pk=data["offer"])
    try:
        if data["decision"] == "accept":
            loans.loan_return_offer_accept(offer=offer, by=http_request.user, document=data["document"],
                                           on=data["date"])
        else:
            loans.loan_return_offer_decline(offer=offer, by=http_request.user, reason=data["reason"])
    except ValidationError as error:
        put_errors(form, error)
        return form
    messages.success(http_request, _("The offer is decided."))
    return None


def _offer_rows(user, offers, bound: OfferDecisionForm | None) -> list[dict]:
    """Each offer with, while pending and for the city office, its accept and decline forms."""
    decides = may_decide(user)
    rows = []
    for offer in offers:
        row = {"offer": offer, "forms": None}
        if decides and offer.state == OfferState.PENDING:
            failed = bound is not None and str(bound.data.get("offer")) == str(offer.pk)
            row["forms"] = {
                choice: (bound if failed and bound.data.get("decision") == choice else OfferDecisionForm(
                    initial={"offer": offer.pk, "decision": choice, "date": offer.movement.date},
                    auto_id=f"id_offer{offer.pk}_{choice}_%s"))
                for choice in ("accept", "decline")}
        rows.append(row)
    return rows


@role_required
@require_http_methods(["GET", "POST"])
def movement_detail(request, pk: int):
    """An entry or exit; after an exit of a borrowing unit, its return offers (人走编收), decided here."""
    movement = scoped_get(MOVEMENTS, request.user, pk)
    offers = LoanReturnOffer.objects.filter(movement=movement).select_related("loan__pool", "movement", "decided_by")
    bound = None
    if request.method == "POST":
        bound = _decide_offer(request, offers)
        if bound is None:
            return redirect("workflow:movement_detail", pk=movement.pk)
    return render(request, "workflow/movement_detail.html", {
        "movement": movement, "is_entry": movement.kind == MovementKind.ENTRY,
        "offers": _offer_rows(request.user, offers.order_by("pk"), bound)})


# --- turnover-pool loans ------------------------------------------------------------------------------------------
LOANS = TurnoverLoan.objects.select_related("institution__region", "pool__region", "pool__quota_type", "case",
                                            "document", "decided_by")


@role_required
@require_http_methods(["GET"])
def loan_list(request):
    """Turnover-pool loans the user sees, newest first, filtered by state."""
    queryset = scope_queryset(LOANS, request.user).order_by("-created_at", "-pk")
    return render(request, "workflow/loan_list.html", list_page(request, queryset))


def _return_plan(formset) -> list[dict]:
    return [{"date": row["date"].isoformat(), "count": row["count"]} for row in cleaned_rows(formset)]


def _loan_fields(form) -> dict:
    return {key: value for key, value in form.cleaned_data.items() if key != "institution"}


@role_required
@require_http_methods(["GET", "POST"])
def loan_create(request):
    """File a draft loan request with its return plan (the expected leavers by date)."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    form = TurnoverLoanForm(data, user=request.user)
    plan = ReturnPlanFormSet(data, prefix="plan")
    if data is not None and all_valid(form, plan):
        try:
            loan = loans.turnover_loan_create(by=request.user, institution=form.cleaned_data["institution"],
                                              return_plan=_return_plan(plan), **_loan_fields(form))
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, loan, _("The loan request is filed as a draft."))
    return form_page(request, title=_("New turnover-pool loan"), form=form, formset=plan,
                     formset_title=_("Return plan"), cancel_url="workflow:loan_list")


@role_required
@require_http_methods(["GET", "POST"])
def loan_edit(request, pk: int):
    """Change a draft loan request and its return plan."""
    loan = scoped_get(LOANS, request.user, pk)
    edit_guard(request.user, loan)
    if not workflow.is_editable(loan.status):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("workflow:loan_detail", pk=loan.pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(loan, name) for name in ("institution", "pool", "count", "talent_category", "case",
                                                      "term_months", "justification")}
    form = TurnoverLoanForm(data, user=request.user, editing=True, initial=initial)
    plan = ReturnPlanFormSet(data, prefix="plan", initial=[
        {"date": item["date"], "count": item["count"]} for item in loan.return_plan or []])
    if data is not None and all_valid(form, plan):
        try:
            loan = loans.turnover_loan_update(loan=loan, by=request.user, return_plan=_return_plan(plan),
                                              **_loan_fields(form))
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _saved(request, loan, _("The loan request is saved."))
    return form_page(request, title=_("Change the loan request"), form=form, formset=plan,
                     formset_title=_("Return plan"), cancel_url="workflow:loan_list")


def _return(http_request, loan) -> LoanReturnForm | None:
    """An early or partial return (city office): None when posted, else the bound form with its errors."""
    if not may_decide(http_request.user):
        raise PermissionDenied
    form = LoanReturnForm(http_request.POST, auto_id="id_return_%s")
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        loans.turnover_loan_return(loan=loan, count=data["count"], by=http_request.user, document=data["document"],
                                   on=data["date"])
    except ValidationError as error:
        put_errors(form, error)
        return form
    messages.success(http_request, _("%(count)d quotas are back in the pool.") % {"count": data["count"]})
    return None


@role_required
@require_http_methods(["GET", "POST"])
def loan_detail(request, pk: int):
    """A loan: its figures, return plan, returns and offers, problems, history, actions and (city office, while
    outstanding) a return."""
    loan = scoped_get(LOANS, request.user, pk)
    return_form = None
    if request.method == "POST" and request.POST.get("form") == "return":
        return_form = _return(request, loan)
        if return_form is None:
            return redirect("workflow:loan_detail", pk=loan.pk)
    if return_form is None and loan.status == workflow.APPROVED and may_decide(request.user):
        return_form = LoanReturnForm(auto_id="id_return_%s")
    today = timezone.localdate()
    return request_page(request, loan, "workflow/loan_detail.html",
                        open_problems(lambda each: loans.turnover_loan_problems(each, on=today)),
                        return_form=return_form, returns=list(loan.returns.order_by("date", "pk")),
                        offers=list(loan.offers.select_related("movement").order_by("-pk")))
