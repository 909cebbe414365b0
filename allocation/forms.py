"""Forms of the allocation pages."""
from django import forms

from allocation.models import AllocationScenario

WEIGHT_FIELDS = ("weight_population", "weight_area", "weight_gdp", "weight_fiscal")


class ScenarioWeightsForm(forms.Form):
    """A scenario's four weights (percentages adding up to 100, which the service checks)."""

    def __init__(self, *args, scenario: AllocationScenario, **kwargs) -> None:
        initial = {name: getattr(scenario, name) for name in WEIGHT_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        for name, field in forms.fields_for_model(AllocationScenario, fields=WEIGHT_FIELDS).items():
            field.widget.attrs.update({"step": "0.01", "min": "0", "max": "100"})
            self.fields[name] = field
