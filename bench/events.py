"""The engine's event log (`--event-log`, as the Automation API reads it): what a run told its user.

Each line is one engine event as JSON; diagnostics are `{"diagnosticEvent": {"severity", "message", ...}}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The CLI accepts --event-log only with its debug commands on, as the Automation API runs it.
EVENT_LOG_ENV = {"PULUMI_DEBUG_COMMANDS": "true"}


def read_events(path: Path) -> list[dict[str, Any]]:
    """The events of one run; none when the run ended before writing any."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def diagnostics(events: Iterable[dict[str, Any]], severity: str) -> list[str]:
    return [
        event["diagnosticEvent"].get("message", "")
        for event in events
        if "diagnosticEvent" in event and event["diagnosticEvent"].get("severity") == severity
    ]


def throttle_errors(events: Iterable[dict[str, Any]], code: str) -> int:
    """Errors reported to the user that carry the cloud's throttling code: throttles the provider gave up on."""
    return sum(code in message for message in diagnostics(events, "error"))
