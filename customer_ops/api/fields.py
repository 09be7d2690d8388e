"""Fields and bounds shared by the resource API's serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

# The largest id a BigAutoField holds: a larger number is a 400, not an overflow (a 500) in the
# database driver. Counts stop at a billion for the same reason.
ID_MAX_VALUE = 2**63 - 1


COUNT_MAX = 10**9


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """A choice of codes documented as a string listing them, not as a shared enum component.

    drf-spectacular names enums by field name; a second `status` or `channel` choice set used in
    several components makes it warn (and `check --deploy` fails on warnings) unless
    ENUM_NAME_OVERRIDES names each set.
    """

    def __init__(self, *, choices: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "one of: " + ", ".join(choices))
        super().__init__(choices=choices, **kwargs)


def code_output(choices: list[str]) -> CodeChoiceField:
    return CodeChoiceField(choices=choices, read_only=True)


class QueryBooleanField(serializers.BooleanField):
    """`true` or `false` in a query string; DRF would also take null, yes, on, 1 and the like."""

    default_empty_html = empty  # left out means no filter (an HTML checkbox would mean false)

    def to_internal_value(self, data: Any) -> bool:
        if data not in ("true", "false"):
            self.fail("invalid")
        return data == "true"


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
class CustomerRefOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    company_name = serializers.CharField()
