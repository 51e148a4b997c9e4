"""What a stack keeps per task, and how the provider is pickled into it.

The size is that of `pulumi stack export` (secrets encrypted, as stored). The pickle is read from
`pulumi stack export --show-secrets` and only disassembled (pickletools), never loaded.
"""

from __future__ import annotations

import base64
import json
import pickletools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROVIDER_KEY = "__provider"
# What dill emits to rebuild a class or function from its code: a pickle by value.
BY_VALUE_MARKERS = ("dill._dill._create_type", "dill._dill._create_function", "dill._dill._create_code")


@dataclass(frozen=True)
class ProviderPickle:
    size: int  # bytes, before base64
    globals: tuple[str, ...]  # `module.name` of each class or function the pickle loads

    @property
    def by_reference(self) -> bool:
        return not any(name in BY_VALUE_MARKERS for name in self.globals)


def provider_pickles(deployment: Mapping[str, Any]) -> set[str]:
    """The distinct `__provider` values (base64) of a deployment's resources, from `export --show-secrets`:
    the provider is a secret there, `{<secret signature>: ..., "plaintext": <the value as JSON>}`."""
    found = set()
    for resource in deployment.get("resources") or []:
        value = (resource.get("inputs") or {}).get(PROVIDER_KEY)
        if isinstance(value, Mapping) and isinstance(value.get("plaintext"), str):
            value = json.loads(value["plaintext"])
        if isinstance(value, str):
            found.add(value)
    return found


def read_pickle(encoded: str) -> ProviderPickle:
    data = base64.b64decode(encoded)
    return ProviderPickle(len(data), tuple(pickled_globals(data)))


def pickled_globals(data: bytes) -> list[str]:
    """The globals a pickle loads, in order, from its opcodes (GLOBAL, or STACK_GLOBAL after two strings)."""
    found: list[str] = []
    pushed: list[str | None] = []  # what each opcode pushed, when it was a string (None otherwise)
    memo: dict[int, str | None] = {}
    for opcode, arg, _pos in pickletools.genops(data):
        name = opcode.name
        if name == "GLOBAL":
            module, _, attr = str(arg).partition(" ")
            found.append(f"{module}.{attr}")
        elif name == "STACK_GLOBAL":
            found.append(f"{pushed[-2]}.{pushed[-1]}")
            pushed.append(None)
        elif name == "MEMOIZE":
            memo[len(memo)] = pushed[-1] if pushed else None
        elif name.endswith("PUT") and isinstance(arg, int):
            memo[arg] = pushed[-1] if pushed else None
        elif name.endswith("GET") and isinstance(arg, int):
            pushed.append(memo.get(arg))
        elif "UNICODE" in name:
            pushed.append(str(arg))
        elif opcode.stack_after:
            pushed.append(None)
    return found
