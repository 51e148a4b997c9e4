"""What a Pulumi program needs of a cloud's field rules to declare a RelayTask.

`Rules.shape` derives it from the model; `relaytask generate` writes it into each resource class, so a
program loads neither pydantic nor the clouds' models (the provider process does, to check and diff).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .values import carries_key


@dataclass(frozen=True)
class Shape:
    secrets: tuple[str, ...]
    """Arguments always stored as secrets."""
    urls: tuple[str, ...]
    """URL-bearing arguments: secret when a value carries a key, and shown redacted beside."""
    derived: tuple[str, ...]
    """What the provider adds beside the inputs: output attributes and redacted companions."""

    def secrets_for(self, args: Mapping[str, Any]) -> list[str]:
        """The names stored as secrets given these argument values (the one secrets rule): the
        always-secret ones, and every URL-bearing argument whose value carries a query."""
        return sorted({*self.secrets, *(name for name in self.urls if carries_key(args.get(name)))})
