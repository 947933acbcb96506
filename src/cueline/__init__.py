"""cueline: talks you through a massage routine, counting each stroke at a steady tempo."""

from __future__ import annotations

__version__ = "0.1.0"
