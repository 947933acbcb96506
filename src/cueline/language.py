"""Language codes: the base language that picks count words, cue phrases and the safety line."""

from __future__ import annotations


def base_language(code: str) -> str:
    """The base language of a code, lowercased: `de` for `de`, `DE`, `de-AT` or `de_at`."""
    return code.strip().replace("_", "-").split("-")[0].lower()
