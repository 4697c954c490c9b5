from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    print_schema,
)

from api.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


def test_committed_schema_file_matches_the_code():
    printed = print_schema(schema.graphql_schema)

    assert SCHEMA_FILE.read_text() == printed, (
        "api/schema.graphql is stale: run "
        "`uv run ketnoi graphql_schema --out api/schema.graphql`"
    )


def _undescribed() -> list[str]:
    missing = []

    def check(name: str, description: str | None) -> None:
        # Vietnamese first, then English, separated by " / ".
        if not description or " / " not in description:
            missing.append(name)

    for type_name, graphql_type in schema.graphql_schema.type_map.items():
        if type_name.startswith("__") or type_name in {
            "String",
            "Int",
            "Boolean",
            "Float",
            "ID",
            "Date",
            "DateTime",
            "Decimal",
            "BigInt",
        }:
            continue
        check(type_name, graphql_type.description)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                check(f"{type_name}.{field_name}", field.description)
                for arg_name, arg in getattr(field, "args", {}).items():
                    check(f"{type_name}.{field_name}({arg_name})", arg.description)
        if isinstance(graphql_type, GraphQLEnumType):
            for value_name, value in graphql_type.values.items():
                check(f"{type_name}.{value_name}", value.description)
    return missing


def test_every_type_field_argument_and_value_is_described_in_both_languages():
    assert _undescribed() == []
