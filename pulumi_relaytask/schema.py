"""The Pulumi package schema (schema.json), generated from each cloud's field rules and model.

Never edited by hand: `relaytask schema > schema.json` writes it and a test keeps it in sync.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

from .core.fields import Field, Rules
from .core.model import TaskArgs
from .huawei.model import RelayTaskArgs as HuaweiArgs
from .huawei.rules import RULES as HUAWEI_RULES

RESOURCES: dict[str, tuple[Rules, type[TaskArgs], str]] = {
    "relaytask:huawei:RelayTask": (
        HUAWEI_RULES,
        HuaweiArgs,
        "A Huawei Cloud Live relay task (pull a live stream or a VOD playlist, push it as a live stream).",
    ),
}


def _property(f: Field) -> dict[str, Any]:
    spec: dict[str, Any] = {"description": f.description}
    if f.type_name.startswith("array<"):
        spec.update(type="array", items={"type": f.type_name[len("array<"):-1]})
    else:
        spec["type"] = f.type_name
    if f.secret:
        spec["secret"] = True
    if f.updatable:
        spec["description"] += " Updated in place when the cloud's rules allow."
    else:
        spec["willReplaceOnChanges"] = True
    return spec


def _resource(rules: Rules, model: type[TaskArgs], description: str) -> dict[str, Any]:
    inputs = {f.name: _property(f) for f in rules.fields}
    outputs = dict(inputs)
    outputs.update({f.name: {"type": "string", "description": f.description} for f in rules.outputs})
    return {
        "description": description,
        "inputProperties": inputs,
        "requiredInputs": sorted(name for name, info in model.model_fields.items() if info.is_required()),
        "properties": outputs,
        "required": sorted(f.name for f in rules.outputs),
    }


def generate() -> dict[str, Any]:
    return {
        "name": "relaytask",
        "displayName": "Relay tasks",
        "description": "Live-streaming relay tasks on Huawei Cloud Live, Tencent Cloud Live and Alibaba Cloud Live.",
        "version": version("pulumi-relaytask"),
        "resources": {token: _resource(*spec) for token, spec in sorted(RESOURCES.items())},
    }


def render() -> str:
    return json.dumps(generate(), indent=2, sort_keys=True) + "\n"
