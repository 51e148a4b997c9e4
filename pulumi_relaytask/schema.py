"""The Pulumi package schema (schema.json), generated from each cloud's model, field rules and settings.

Never edited by hand: `relaytask schema > schema.json` writes it and a test keeps it in sync. The
reference docs (`docs/<cloud>.md`, see `refdocs`) are written from it.
"""

from __future__ import annotations

import json
import typing
from importlib.metadata import version
from typing import Any

from .clouds import Cloud, every_cloud
from .core.fields import Field, Rules, object_model, strip_optional, type_name, unannotated
from .core.settings import ConfigKey
from .core.values import redacted_name


def token(cloud: Cloud) -> str:
    return f"relaytask:{cloud.key}:RelayTask"


def update_behaviour(f: Field, rules: Rules) -> str:
    """What a change of the argument does, and why, in one sentence."""
    if f.provider_only:
        return (
            "Read by the provider when it creates the resource, never sent to the cloud: "
            "a change of it alone changes nothing."
        )
    if f.instruction:
        return (
            f"An instruction sent with each {rules.update_operation}, not stored by the cloud: "
            "a change of it alone changes nothing."
        )
    if not f.in_place:
        return f"Changing it replaces the task: {rules.update_operation} cannot change it."
    if rules.in_place_condition:
        return f"Updated in place {rules.in_place_condition}; on any other task a change replaces it."
    if f.kept_when_cleared:
        return f"Updated in place by {rules.update_operation}, which cannot remove it: removing it replaces the task."
    return f"Updated in place by {rules.update_operation}."


def property_description(f: Field, rules: Rules) -> str:
    """The description, then its constraints, default, secrecy and update behaviour."""
    parts = [f.description.rstrip()]
    if f.constraints:
        parts.append(f"Accepts {'; '.join(f.constraints)}.")
    if f.default is not None:
        parts.append(f"Default: {json.dumps(f.default)}.")
    if f.cloud_chosen:
        parts.append("Left out, the cloud chooses it and no diff follows.")
    if f.unread:
        parts.append("Not read back from the cloud: the last applied value stands, so it never shows drift.")
    if f.set_like:
        parts.append("Compared as a set: order carries no meaning.")
    if f.secret:
        parts.append("Stored as a secret.")
    if f.url:
        parts.append(
            f"Stored as a secret when a URL in it carries a query or a password; {redacted_name(f.name)} shows "
            "it with those parts replaced by fingerprints."
        )
    parts.append(update_behaviour(f, rules))
    return " ".join(parts)


def _type_spec(annotation: Any, name: str = "") -> dict[str, Any]:
    kind = type_name(annotation)
    if kind.startswith("array<"):
        bare, _ = unannotated(strip_optional(annotation))
        return {"type": "array", "items": _type_spec(typing.get_args(bare)[0], name)}
    if kind == "object":
        bare, _ = unannotated(strip_optional(annotation))
        return {"$ref": f"#/types/relaytask:{name}:{bare.__name__}"}
    return {"type": kind}


def _property(f: Field, rules: Rules) -> dict[str, Any]:
    spec = _type_spec(f.annotation, rules.cloud)
    spec["description"] = property_description(f, rules)
    if f.default is not None:
        spec["default"] = f.default
    if f.secret:
        spec["secret"] = True
    if not f.in_place and not f.instruction and not f.provider_only:
        spec["willReplaceOnChanges"] = True
    return spec


def _object_types(cloud: Cloud) -> dict[str, Any]:
    types: dict[str, Any] = {}
    for f in cloud.rules.fields:
        bare = object_model(f.annotation)
        if bare is not None:
            types[f"relaytask:{cloud.key}:{bare.__name__}"] = {
                "type": "object",
                "description": (bare.__doc__ or "").strip(),
                "properties": {
                    name: {**_type_spec(info.annotation, cloud.key), "description": info.description or ""}
                    for name, info in bare.model_fields.items()
                },
                "required": sorted(name for name, info in bare.model_fields.items() if info.is_required()),
            }
    return types


def _resource(cloud: Cloud) -> dict[str, Any]:
    rules = cloud.rules
    inputs = {f.name: _property(f, rules) for f in rules.fields}
    outputs = dict(inputs)
    outputs.update({f.name: {**_type_spec(f.annotation), "description": f.description} for f in rules.attributes})
    return {
        "description": cloud.description,
        "inputProperties": inputs,
        "requiredInputs": sorted(f.name for f in rules.fields if f.required),
        "properties": outputs,
        "required": sorted(f.name for f in rules.outputs if f.required),
    }


def config_variable(key: ConfigKey) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "string", "description": key.description}
    if key.env:
        spec["defaultInfo"] = {"environment": list(key.env)}
    if key.default is not None:
        spec["description"] += f" Default: {key.default}."
    if key.required:
        spec["description"] += " Required (from the stack config or the environment)."
    if key.secret:
        spec["secret"] = True
    return spec


def generate() -> dict[str, Any]:
    clouds = every_cloud()
    return {
        "name": "relaytask",
        "displayName": "Relay tasks",
        "description": "Live-streaming relay tasks on Huawei Cloud Live, Tencent Cloud Live and Alibaba Cloud Live. "
        "Used through the Python classes `pulumi_relaytask.<cloud>.RelayTask`; the engine registers them as "
        "`pulumi-python:dynamic/<cloud>:RelayTask`.",
        "version": version("pulumi-relaytask"),
        "config": {"variables": {key.name: config_variable(key) for cloud in clouds for key in cloud.config}},
        "types": {name: spec for cloud in clouds for name, spec in _object_types(cloud).items()},
        "resources": {token(cloud): _resource(cloud) for cloud in clouds},
    }


def render() -> str:
    return json.dumps(generate(), indent=2, sort_keys=True) + "\n"
