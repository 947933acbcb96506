"""Allows `python -m cueline`."""

from __future__ import annotations

from cueline.cli import main

main()
