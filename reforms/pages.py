"""The reform plan pages (under /reforms/plans/): a district office drafts a plan for its region and submits it,
the city office previews, approves and executes it, on the same pages as the workflow's requests.

Thin: every write is a service of ``reforms.services`` (state moves through ``reforms.actions.PLAN_ACTIONS``), which
checks the role, the region, the state and what each operation needs. A page offers only what the state table and
the actor checks allow this user, puts a service's ``ValidationError`` back on its form, and answers 404 for another
region's plan and 403 for a refused role.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.pages import role_required
from accounts.scoping import scope_queryset
from core.forms import put_errors
from reforms import services
from reforms.actions import PLAN_ACTIONS
from reforms.display import PREVIEWED_STATES, preview_context
from reforms.forms import (
    PlacementFormSet,
    ReformOperationForm,
    ReformPlanForm,
    SourceFormSet,
    SplitPartFormSet,
)
from reforms.models import PLACEMENT_FIELDS, SPLIT_PART_FIELDS, ReformOperation, ReformPlan
from workflow import states as workflow
from workflow.pages import (
    all_valid,
    cleaned_rows,
    edit_guard,
    form_page,
    list_page,
    may_edit,
    request_page,
    require_filer,
    scoped_get,
)

PLANS = ReformPlan.objects.select_related("region", "document", "decided_by", "created_by")
OPERATIONS = ReformOperation.objects.select_related(
    "institution__region", "quota_type", "new_region", "new_supervisor", "created_unit").prefetch_related(
    "sources", "placements__from_institution", "placements__to_institution", "parts")
PLAN_FIELDS = ("title", "effective_date", "description")


def _no_problems(plan) -> dict:
    return {}  # a plan's problems are the preview's, shown with it


def _draft(request, plan: ReformPlan) -> ReformPlan | None:
    """The plan if this user may change it now; a refused role is a 403, a plan past its draft a message."""
    edit_guard(request.user, plan)
    if workflow.is_editable(plan.status):
        return plan
    messages.error(request, _("Only a draft can be changed."))
    return None


def _refused(request, error: ValidationError) -> None:
    """A service's refusal of a button (no form to put it on), shown as a message above the plan."""
    for text in error.messages:
        messages.error(request, text)


@role_required
@require_http_methods(["GET"])
def plan_list(request):
    """Reform plans the user sees, latest effective date first, filtered by state."""
    queryset = scope_queryset(PLANS, request.user).order_by("-effective_date", "-pk")
    return render(request, "reforms/plan_list.html", list_page(request, queryset))


@role_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """Draft a plan: its title, region, effective date and description; its operations come next."""
    require_filer(request.user)
    data = request.POST if request.method == "POST" else None
    form = ReformPlanForm(data, user=request.user)
    if data is not None and form.is_valid():
        try:
            plan = services.reform_plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The reform plan is drafted: add its operations."))
            return redirect("reforms:plan_detail", pk=plan.pk)
    return form_page(request, title=_("New reform plan"), form=form, cancel_url="reforms:plan_list",
                     template="reforms/plan_form.html")


@role_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    """Change a draft plan's heading."""
    plan = _draft(request, scoped_get(PLANS, request.user, pk))
    if plan is None:
        return redirect("reforms:plan_detail", pk=pk)
    data = request.POST if request.method == "POST" else None
    form = ReformPlanForm(data, user=request.user, editing=True,
                          initial={name: getattr(plan, name) for name in (*PLAN_FIELDS, "region")})
    if data is not None and form.is_valid():
        try:
            services.reform_plan_update(plan=plan, by=request.user,
                                        **{name: form.cleaned_data[name] for name in PLAN_FIELDS})
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The reform plan is saved."))
            return redirect("reforms:plan_detail", pk=plan.pk)
    return form_page(request, title=_("Change the reform plan"), form=form, cancel_url="reforms:plan_list",
                     template="reforms/plan_form.html")


@role_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    """A plan: its operations, what it would do on its date (the preview), history and the actions offered."""
    plan = scoped_get(PLANS, request.user, pk)
    editable = may_edit(request.user, plan)
    return request_page(
        request, plan, "reforms/plan_detail.html", _no_problems, actions=PLAN_ACTIONS,
        detail_url="reforms:plan_detail", may_change_operations=editable,
        operations=list(OPERATIONS.filter(plan=plan)),
        preview=preview_context(plan) if plan.status in PREVIEWED_STATES else None)


@role_required
@require_POST
def plan_to_standard(request, pk: int):
    """核定: add to the draft an adjustment to its industry standard for each unit of its region outside it."""
    plan = _draft(request, scoped_get(PLANS, request.user, pk))
    if plan is not None:
        try:
            added = services.reform_operations_to_standard(plan=plan, by=request.user)
        except ValidationError as error:  # decided meanwhile, or an adjustment the service refuses: nothing added
            _refused(request, error)
        else:
            messages.success(request, _("%(count)d adjustments to the industry standards are added.") % {
                "count": len(added)})
    return redirect("reforms:plan_detail", pk=pk)


# --- operations ---------------------------------------------------------------------------------------------------
def _operation_page(request, plan: ReformPlan, operation: ReformOperation | None):
    """Add (``operation`` None) or change an operation with its merged units, placements and split parts."""
    data = request.POST if request.method == "POST" else None
    user = request.user
    # The form checks a copy (a model form writes its input onto its instance); the service saves the operation.
    checked = ReformOperation.objects.get(pk=operation.pk) if operation else ReformOperation(plan=plan)
    form = ReformOperationForm(data, user=user, instance=checked)
    sources = SourceFormSet(data, prefix="sources", form_kwargs={"user": user}, initial=[
        {"unit": unit} for unit in operation.sources.all()] if operation else None)
    placements = PlacementFormSet(data, prefix="placements", form_kwargs={"user": user}, initial=[
        {name: getattr(placement, name) for name in PLACEMENT_FIELDS}
        for placement in operation.placements.all()] if operation else None)
    parts = SplitPartFormSet(data, prefix="parts", initial=[
        {name: getattr(part, name) for name in SPLIT_PART_FIELDS} for part in operation.parts.all()]
        if operation else None)
    if data is not None and all_valid(form, sources, placements, parts):
        values = {name: form.cleaned_data[name] for name in services.OPERATION_FIELDS}
        if values["position"] is None:  # numbered after the plan's last operation, or kept
            values.pop("position")
        try:
            services.reform_operation_save(
                plan=plan, by=user, operation=operation,
                sources=[row["unit"] for row in cleaned_rows(sources) if row.get("unit")],
                placements=cleaned_rows(placements), parts=cleaned_rows(parts), **values)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The operation is saved."))
            return redirect("reforms:plan_detail", pk=plan.pk)
    title = _("Change operation %(position)d") % {"position": operation.position} if operation else _(
        "New operation")
    return render(request, "reforms/operation_form.html", {
        "title": title, "plan": plan, "form": form, "formsets": [
            (sources, _("Merged units (a merger: the units it ends)")),
            (placements, _("Staff placements (where the staff of an ending unit go)")),
            (parts, _("Units split off (a split: the units it forms)"))]})


@role_required
@require_http_methods(["GET", "POST"])
def operation_create(request, pk: int):
    plan = _draft(request, scoped_get(PLANS, request.user, pk))
    if plan is None:
        return redirect("reforms:plan_detail", pk=pk)
    return _operation_page(request, plan, None)


@role_required
@require_http_methods(["GET", "POST"])
def operation_edit(request, pk: int):
    operation = scoped_get(ReformOperation.objects.select_related("plan"), request.user, pk)
    plan = _draft(request, operation.plan)
    if plan is None:
        return redirect("reforms:plan_detail", pk=operation.plan_id)
    return _operation_page(request, plan, operation)


@role_required
@require_POST
def operation_remove(request, pk: int):
    operation = scoped_get(ReformOperation.objects.select_related("plan"), request.user, pk)
    if _draft(request, operation.plan) is not None:
        try:
            services.reform_operation_remove(operation=operation, by=request.user)
        except ValidationError as error:  # the plan was submitted meanwhile: nothing removed
            _refused(request, error)
        else:
            messages.success(request, _("Operation %(position)d is removed.") % {"position": operation.position})
    return redirect("reforms:plan_detail", pk=operation.plan_id)
