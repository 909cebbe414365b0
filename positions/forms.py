"""Forms of the positions screens: plan and staff-count entry (admin)."""
from __future__ import annotations

from django import forms

from positions import services
from positions.models import PositionPlan, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS


class PositionPlanAdminForm(forms.ModelForm):
    """The admin's plan form: the model's checks, then the plan's binding rules, each beside its field."""

    class Meta:
        model = PositionPlan
        fields = ("institution", "effective_date", "document", "main_post_type", "rule_set", "note",
                  *PLAN_COUNT_FIELDS)

    def _post_clean(self) -> None:
        super()._post_clean()  # builds the instance and runs the model's full_clean()
        if self.errors or not self.instance.institution_id:
            return
        refusal = services.binding_refusal(services.position_plan_check(plan=self.instance))
        if refusal is not None:
            for field, messages in refusal.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)


class StaffCountAdminForm(forms.ModelForm):
    class Meta:
        model = StaffCount
        fields = ("institution", "as_of", *STAFF_COUNT_FIELDS, "note")








