"""The routine file format as a JSON Schema, for editors, `cueline schema` and the docs."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

_SCHEMA_FILE = "routine.schema.json"


def schema_text() -> str:
    """The schema as JSON text, without a final newline (whoever prints it adds one)."""
    return resources.files("cueline").joinpath(_SCHEMA_FILE).read_text(encoding="utf-8").rstrip("\n")


def routine_schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12); the loader, not the schema, has the last word on validity."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
