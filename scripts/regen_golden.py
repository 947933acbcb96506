"""Rewrite the golden timelines in tests/golden/ after an intended change to the timeline rules.
Review the diff before committing: it is the readable record of what the change did to timing."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden_cases import CASES, GOLDEN_DIR, golden_path, render_case


def main() -> None:
    for name in CASES:
        path = golden_path(name)
        text = render_case(name)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'same   '} {path.relative_to(GOLDEN_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
