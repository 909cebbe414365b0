"""The unit picker: a ``<select>`` that static/js/autocomplete.js turns into a search-as-you-type box.

A city has thousands of units, too many for one ``<select>``. The widget renders only the empty choice and the
selected unit; the script puts a text box before it, asks the JSON endpoint named by ``data-autocomplete-url`` for
the units matching what is typed (the same scoping as the page: a district office is offered its own region only)
and sets the select to the unit picked. The form field stays an ordinary ``ModelChoiceField``: its queryset still
decides what is valid, so an id typed into a forged request that the user may not see is "not a valid choice".
"""
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNITS_JSON_URL = reverse_lazy("portal:units-json")
MAX_ID = 2**63 - 1  # a forged id beyond the database's integers is no choice (and must not reach the query)


class UnitAutocompleteWidget(forms.Select):
    """A select of institutions searched by name, former name, plaque or credit code as the user types.

    ``region_field``: the name of another field of the same form holding a region id; its current value is sent as
    ``region=`` so that only that region's units are offered. ``url``: another endpoint answering
    ``[{"id": …, "label": …}]`` for ``?q=`` (default: the units search, ``/search/units.json``).
    """

    class Media:
        js = [forms.Script("js/autocomplete.js", defer=True)]

    def __init__(self, attrs=None, *, url=UNITS_JSON_URL, region_field: str | None = None):
        super().__init__(attrs=attrs)
        self.url = url
        self.region_field = region_field

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = str(self.url)
        attrs["data-autocomplete-placeholder"] = str(_("Type a name, plaque or credit code"))
        attrs["data-autocomplete-empty"] = str(_("No unit found"))
        if self.region_field:
            attrs["data-autocomplete-region-field"] = self.region_field
        return attrs

    def optgroups(self, name, value, attrs=None):
        """Only the empty choice and the selected units: the rest come from the search."""
        chosen = {str(each) for each in value if each not in (None, "")}
        groups = []
        for index, (option_value, label) in enumerate(self._few_choices(chosen)):
            selected = str(option_value) in chosen
            option = self.create_option(name, option_value, label, selected, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups

    def _few_choices(self, chosen: set[str]):
        """The empty choice (if the field has one) and the choices whose value is in ``chosen``."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return [(v, label) for v, label in self.choices if v in ("", None) or str(v) in chosen]
        few = []
        if self.choices.field.empty_label is not None:
            few.append(("", self.choices.field.empty_label))
        key = self.choices.field.to_field_name or "pk"
        wanted = [each for each in chosen if each.isdigit() and int(each) <= MAX_ID] if key == "pk" else list(chosen)
        if wanted:
            few += [self.choices.choice(obj) for obj in queryset.filter(**{f"{key}__in": wanted})]
        return few
