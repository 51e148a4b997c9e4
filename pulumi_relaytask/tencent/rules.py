"""Tencent's field rules, derived from the model: ModifyLivePullStreamTask changes almost everything in place.

Pause and resume are a modify of Status, on any source type, so every in-place field is updated in
place on every task. Reference: docs/api-notes.md, "Tencent: task fields and limits".
"""

from __future__ import annotations

from ..core.fields import Rules
from .model import RelayTaskArgs, RelayTaskOutputs

RULES = Rules.derive("tencent", RelayTaskArgs, RelayTaskOutputs, update_operation="ModifyLivePullStreamTask")
