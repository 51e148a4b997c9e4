"""The Pulumi package schema (schema.json), generated from each cloud's field rules and model.

Never edited by hand: `relaytask schema > schema.json` writes it and a test keeps it in sync.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

from .aliyun.model import RelayTaskArgs as AliyunArgs
from .aliyun.rules import RULES as ALIYUN_RULES
from .core.fields import Field, Rules
from .core.model import TaskArgs
from .huawei.model import RelayTaskArgs as HuaweiArgs
from .huawei.rules import RULES as HUAWEI_RULES
from .tencent.model import RelayTaskArgs as TencentArgs
from .tencent.rules import RULES as TENCENT_RULES

RESOURCES: dict[str, tuple[Rules, type[TaskArgs], str]] = {
    "relaytask:aliyun:RelayTask": (
        ALIYUN_RULES,
        AliyunArgs,
        "An Alibaba Cloud ApsaraVideo Live pull-to-push task. Changing a running task beyond callback_url and "
        "repeat_number stops and restarts it (the push is interrupted).",
    ),
    "relaytask:tencent:RelayTask": (
        TENCENT_RULES,
        TencentArgs,
        "A Tencent Cloud Live pull-stream task (creates are idempotent through a provider-chosen task id).",
    ),
    "relaytask:huawei:RelayTask": (
        HUAWEI_RULES,
        HuaweiArgs,
        "A Huawei Cloud Live relay task (pull a live stream or a VOD playlist, push it as a live stream).",
    ),
}


def _property(f: Field) -> dict[str, Any]:
    spec: dict[str, Any] = {"description": f.description}
    if f.type_name.startswith("array<"):  # e.g. array<string>, array<object>
        spec.update(type="array", items={"type": f.type_name[len("array<") : -1]})
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
    outputs.update({f.name: {"type": f.type_name, "description": f.description} for f in rules.outputs})
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
