"""Limits that turn abusive GraphQL queries away before they run.

Depth is checked while the query is validated. Cost needs the variables (a
page size is often one), so it is estimated just before execution, from the
parsed query and the variables sent with it.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.language import (
    BooleanValueNode,
    EnumValueNode,
    IntValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)

from .queries import PERIOD_DAYS, Period

# GraphiQL's own introspection query nests `ofType` deeply; introspection has
# an allowance of its own so that it still works outside production.
INTROSPECTION_DEPTH = 16
DEFAULT_PAGE = 20
# Row estimates of the list fields that take no page size.
FIXED_LIST_SIZES = {"provinces": 40, "byCategory": 30, "byOcopStars": 4}
PAGED_FIELDS = {"byProvince", "topProducts", "topProducers"}
# Series whose size is their periods times (when split) their provinces.
SERIES_FIELDS = {"series", "seriesByProvince"}
# With no date range, a series spans at most the years the store holds; three
# is the estimate until the store holds more.
DEFAULT_SERIES_DAYS = 3 * 365
PROVINCES_ESTIMATE = 34


def _fragments(context_document: Any) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in context_document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def depth_limit(max_depth: int) -> type[ValidationRule]:
    """A validation rule rejecting selections nested deeper than `max_depth`."""

    class DepthLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            fragments = _fragments(self.context.document)
            name = node.name.value if node.name else _("(anonymous)")
            for field, depth, limit in _deepest(node.selection_set, fragments, 0):
                self.report_error(
                    GraphQLError(
                        _(
                            "Query %(name)s is too deep: field %(field)s is "
                            "nested %(depth)s levels, the limit is %(limit)s."
                        )
                        % {
                            "name": name,
                            "field": field,
                            "depth": depth,
                            "limit": limit,
                        },
                        node,
                    )
                )
                return

    return DepthLimit


def _deepest(
    selections: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    limit: int | None = None,
    seen: frozenset[str] = frozenset(),
):
    """Yield (field, depth, limit) of the first field found past its limit."""
    if selections is None:
        return
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            field_limit = limit
            if field_limit is None:
                field_limit = (
                    INTROSPECTION_DEPTH
                    if name.startswith("__")
                    else settings.GRAPHQL_MAX_DEPTH
                )
            if depth + 1 > field_limit:
                yield name, depth + 1, field_limit
                return
            yield from _deepest(
                selection.selection_set, fragments, depth + 1, field_limit, seen
            )
        elif isinstance(selection, InlineFragmentNode):
            yield from _deepest(selection.selection_set, fragments, depth, limit, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            # A fragment spreading itself is rejected by the standard rules.
            if name in fragments and name not in seen:
                yield from _deepest(
                    fragments[name].selection_set,
                    fragments,
                    depth,
                    limit,
                    seen | {name},
                )


# --- cost --------------------------------------------------------------------


class CostEstimator:
    """Estimate how many values a query asks for: fields times rows."""

    def __init__(self, document: Any, variables: dict[str, Any] | None):
        self.fragments = _fragments(document)
        self.variables = variables or {}

    def operation_cost(self, operation: OperationDefinitionNode) -> int:
        return self._cost(operation.selection_set, frozenset())

    def _cost(
        self,
        selections: SelectionSetNode | None,
        seen: frozenset[str],
        top: bool = True,
    ) -> int:
        """Fields times rows; `top` is whether these are the query's own fields.

        Below `seriesByProvince` every value list is one period's worth per
        province, which its row estimate (periods × provinces) already counts.
        """
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                rows = self._rows(selection) if top else 1
                inner = self._cost(
                    selection.selection_set,
                    seen,
                    top and selection.name.value != "seriesByProvince",
                )
                total += 1 + rows * inner
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, seen, top)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in self.fragments and name not in seen:
                    fragment = self.fragments[name]
                    total += self._cost(fragment.selection_set, seen | {name}, top)
        return total

    def _rows(self, field: FieldNode) -> int:
        name = field.name.value
        arguments = {arg.name.value: arg.value for arg in field.arguments or ()}
        if name in PAGED_FIELDS:
            first = self._value(arguments.get("first"))
            if not isinstance(first, int) or first < 1:
                first = DEFAULT_PAGE
            return first
        if name in SERIES_FIELDS:
            return self._series_points(arguments, name == "seriesByProvince")
        return FIXED_LIST_SIZES.get(name, 1)

    def _series_points(
        self, arguments: dict[str, ValueNode], by_province: bool = False
    ) -> int:
        period = self._value(arguments.get("period"))
        period = str(period or "MONTH").upper()
        days_per_point = PERIOD_DAYS.get(Period.__members__.get(period, Period.DAY), 1)
        report_filter = self._value(arguments.get("filter")) or {}
        days = _range_days(report_filter) or DEFAULT_SERIES_DAYS
        points = days // days_per_point + 1
        if by_province or self._value(arguments.get("groupByProvince")):
            provinces = report_filter.get("provinces")
            points *= len(provinces) if provinces else PROVINCES_ESTIMATE
        return points

    def _value(self, node: ValueNode | None) -> Any:
        if node is None:
            return None
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, BooleanValueNode):
            return node.value
        if isinstance(node, EnumValueNode | StringValueNode):
            return node.value
        if isinstance(node, ObjectValueNode):
            return {item.name.value: self._value(item.value) for item in node.fields}
        if hasattr(node, "values"):
            return [self._value(item) for item in node.values]
        return None


def _range_days(report_filter: Any) -> int | None:
    from datetime import date

    if not isinstance(report_filter, dict):
        return None
    try:
        start = date.fromisoformat(report_filter["dateFrom"])
        end = date.fromisoformat(report_filter["dateTo"])
    except (KeyError, TypeError, ValueError):
        return None
    return max(1, (end - start).days + 1)


def cost_error(
    document: Any, operation_name: str | None, variables: dict[str, Any] | None
) -> GraphQLError | None:
    estimator = CostEstimator(document, variables)
    limit = settings.GRAPHQL_MAX_COST
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        name = definition.name.value if definition.name else None
        if operation_name and name != operation_name:
            continue
        cost = estimator.operation_cost(definition)
        if cost > limit:
            return GraphQLError(
                _(
                    "Query is too expensive: its estimated cost is %(cost)s, the "
                    "limit is %(limit)s. Ask for fewer items (first), fewer "
                    "fields, a shorter date range or a longer period."
                )
                % {"cost": cost, "limit": limit},
                definition,
            )
    return None
