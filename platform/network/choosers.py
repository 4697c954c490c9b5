"""Choosing a union unit in the admin from a searchable list, not a long select.

A province like Hà Nội has thousands of branches; a select listing them all
makes every member and pickup point form heavy, above all on a phone. The
chooser opens a list that staff search by name (accents aside) or code.
Forms ask for the levels they accept (`levels=branch,group`), which the list
keeps while searching and paging.
"""

from django import forms
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from ketnoi import access
from ketnoi.search import Unaccented

from .models import OrgUnit


class UnitFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or code")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = " ".join((self.cleaned_data.get("q") or "").split())[:100]
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.alias(
                plain=Unaccented("name"), typed=Unaccented(Value(query))
            ).filter(Q(plain__contains=F("typed")) | Q(code__iexact=query))
        return objects


class UnitListMixin:
    filter_form_class = UnitFilterForm
    ordering = ["path"]

    def dispatch(self, request, *args, **kwargs):
        access.require(access.is_staff(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        units = OrgUnit.objects.filter(active=True)
        wanted = self.request.GET.get("levels", "").split(",")
        levels = [level for level in wanted if level in OrgUnit.Level.values]
        return units.filter(level__in=levels) if levels else units

    def get_results_page(self, request):
        # Many branches share a name ("Chi hội số 1" in every ward): each row
        # says where it belongs, below the province, from one more query.
        page = super().get_results_page(request)
        units = list(page.object_list)
        step = OrgUnit.steplen
        prefixes = {
            unit.path[:end]
            for unit in units
            for end in range(2 * step, len(unit.path), step)
        }
        names = dict(
            OrgUnit.objects.filter(path__in=prefixes).values_list("path", "name")
        )
        for unit in units:
            ends = range(2 * step, len(unit.path), step)
            unit.belongs_to = " › ".join(
                names[unit.path[:end]] for end in ends if unit.path[:end] in names
            )
        page.object_list = units
        return page

    @property
    def columns(self):
        return [*super().columns, Column("belongs_to", label=_("Belongs to"))]


class UnitChooseView(UnitListMixin, ChooseView):
    pass


class UnitChooseResultsView(UnitListMixin, ChooseResultsView):
    pass


class UnitChooserViewSet(ChooserViewSet):
    model = OrgUnit
    icon = "group"
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    choose_one_text = _("Choose a unit")
    choose_another_text = _("Choose another unit")
    edit_item_text = _("Edit this unit")
    per_page = 20
    preserve_url_parameters = ["multiple", "levels"]


unit_chooser = UnitChooserViewSet("network_unit_chooser", url_prefix="network/don-vi")


def unit_widget(*levels: str) -> forms.Widget:
    """A chooser offering only units of these levels."""

    class LevelChooser(unit_chooser.widget_class):
        def get_chooser_modal_url(self):
            return f"{super().get_chooser_modal_url()}?levels={','.join(levels)}"

    return LevelChooser()
