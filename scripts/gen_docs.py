"""Rewrite the field reference in docs/routines.md from src/cueline/routine.schema.json.

Usage: python scripts/gen_docs.py [--check]

Only the part between the `generated:fields` markers is rewritten; the rest of the page is written by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from cueline.atomic import atomic_path
from cueline.schema import routine_schema

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "routines.md"
START = "<!-- generated:fields:start -->"
END = "<!-- generated:fields:end -->"
COMMAND = "python scripts/gen_docs.py"

Schema = dict[str, Any]


def resolve(schema: Schema, root: Schema) -> Schema:
    """The `$defs` entry a `$ref` points at, or the schema itself."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: Schema = root["$defs"][ref.removeprefix("#/$defs/")]
    return resolved


def count_phrase(low: int | None, high: int | None) -> str:
    """`2 to 4 `, `at least 1 `, or nothing: how many items a list may have."""
    if low is not None and high is not None:
        return f"{low} to {high} "
    if low is not None:
        return f"at least {low} "
    if high is not None:
        return f"at most {high} "
    return ""


def type_label(schema: Schema, root: Schema) -> str:
    """A reader's name for what a field accepts, such as `text` or `list of 1 to 200 steps`."""
    if "$ref" in schema:
        return str(resolve(schema, root)["title"])
    if "anyOf" in schema:
        return ", or ".join(type_label(option, root) for option in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"`{choice}`" for choice in schema["enum"])
    if schema.get("type") == "integer":
        return f"whole number, {count_phrase(schema.get('minimum'), schema.get('maximum')).strip()}"
    if schema.get("type") == "number":
        return f"number, {count_phrase(schema.get('minimum'), schema.get('maximum')).strip()}"
    if schema.get("type") == "array":
        unique = "different " if schema.get("uniqueItems") else ""
        bounds = count_phrase(schema.get("minItems"), schema.get("maxItems"))
        return f"list of {bounds}{unique}{type_label(schema['items'], root)}s"
    raise ValueError(f"no reader's name for {schema!r}: teach type_label about it")


def inline_yaml(value: object) -> str:
    """A value as it would be written after `key: ` in a routine file, on one line."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...")


def cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def fields_table(properties: dict[str, Schema], required: list[str], root: Schema) -> list[str]:
    """A Markdown table with one row per field: name, type, default, description and examples."""
    lines = ["| field | type | default | description | example |", "| --- | --- | --- | --- | --- |"]
    for name, field in properties.items():
        if name in required:
            default = "required"
        elif "default" in field:
            default = f"`{inline_yaml(field['default'])}`"
        else:
            default = "–"
        examples = " or ".join(f"`{name}: {inline_yaml(example)}`" for example in field["examples"])
        row = (f"`{name}`", type_label(field, root), default, field["description"], examples)
        lines.append("| " + " | ".join(cell(part) for part in row) + " |")
    return lines


def types_table(root: Schema) -> list[str]:
    """A Markdown table of the value types the field tables name (text, duration, …)."""
    lines = ["| type | what it accepts | examples |", "| --- | --- | --- |"]
    for definition in root["$defs"].values():
        if definition.get("type") == "object" or "examples" not in definition:
            continue
        examples = ", ".join(f"`{inline_yaml(example)}`" for example in definition["examples"])
        row = (definition["title"], definition["description"], examples)
        lines.append("| " + " | ".join(cell(part) for part in row) + " |")
    return lines


def fields_section(schema: Schema) -> str:
    """The generated reference: routine fields, step fields and value types, between the markers."""
    step = schema["$defs"]["step"]
    lines = [
        START,
        f"<!-- Written by `{COMMAND}` from src/cueline/routine.schema.json: edit those, not this part. -->",
        "",
        "### Routine fields",
        "",
        *fields_table(schema["properties"], schema["required"], schema),
        "",
        "### Step fields",
        "",
        step["description"],
        "",
        *fields_table(step["properties"], step["required"], schema),
        "",
        "### Value types",
        "",
        *types_table(schema),
        END,
    ]
    return "\n".join(lines)


def rewritten(text: str, schema: Schema) -> str:
    """`text` with its generated section replaced; raises ValueError when the markers are missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOCS.relative_to(ROOT)} needs the markers {START} and {END}, in that order")
    return text[:start] + fields_section(schema) + text[end + len(END) :]


def is_current(path: Path = DOCS) -> bool:
    """Whether the generated section of `path` matches the schema."""
    text = path.read_text(encoding="utf-8")
    return rewritten(text, routine_schema()) == text


def main(argv: list[str] | None = None) -> int:
    """Rewrite the docs, or with --check exit 1 if they are out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the docs are out of date")
    args = parser.parse_args(argv)
    where = DOCS.relative_to(ROOT)
    if args.check:
        if is_current():
            return 0
        print(f"{where} is out of date with the routine schema; run `{COMMAND}`", file=sys.stderr)
        return 1
    text = DOCS.read_text(encoding="utf-8")
    updated = rewritten(text, routine_schema())
    if updated != text:
        with atomic_path(DOCS) as temp:
            temp.write_text(updated, encoding="utf-8")
    print(f"{'updated' if updated != text else 'same   '} {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
