"""The dynamic-provider shell: Pulumi's `pulumi.dynamic` protocol over `core.lifecycle.Lifecycle`.

One generic class; each cloud subclasses it only to say how its lifecycle is built from the stack
configuration. The instance that Pulumi pickles into the state holds nothing: configuration
(credentials included) arrives through `configure` in the provider process and is never pickled.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.runtime import rpc

from .core.fields import UNKNOWN, Rules
from .core.lifecycle import Lifecycle
from .core.settings import ConfigGet

_PULUMI_KEYS = ("__provider",)


def _from_pulumi(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop Pulumi's own keys, turn its unknown sentinel into the core's, and give back integers
    (Pulumi carries every number as a double; no relay-task field is fractional)."""

    def convert(value: Any) -> Any:
        if value == rpc.UNKNOWN:
            return UNKNOWN
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return {k: convert(v) for k, v in (props or {}).items() if k not in _PULUMI_KEYS}


def _to_pulumi(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (rpc.UNKNOWN if v is UNKNOWN else v) for k, v in props.items()}


class RelayTaskProvider(ResourceProvider):
    """Generic shell; a subclass implements `build_lifecycle`."""

    def build_lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        raise NotImplementedError

    # Pulumi pickles the provider into the state at registration, before any configure: keep it empty.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    def configure(self, req: ConfigureRequest) -> None:
        self._config_get: ConfigGet = req.config.get

    def _lifecycle(self) -> Lifecycle:
        lock = self.__dict__.setdefault("_lock", threading.Lock())
        with lock:
            lifecycle = self.__dict__.get("_built")
            if lifecycle is None:
                config_get = self.__dict__.get("_config_get") or (lambda _key: None)
                lifecycle = self._built = self.build_lifecycle(config_get)
            return lifecycle

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = self._lifecycle().check(_from_pulumi(_olds), _from_pulumi(news))
        return CheckResult(_to_pulumi(inputs), [CheckFailure(f.field, f.rule) for f in failures])

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        lifecycle = self._lifecycle()
        olds, news = _from_pulumi(_olds), _from_pulumi(_news)
        plan = lifecycle.diff(olds, news)
        # Dynamic providers cannot attach a message to a diff; a warning is shown by the preview.
        for note in lifecycle.notes(olds, news, plan):
            pulumi.log.warn(f"{lifecycle.rules.cloud} task {_id}: {note}")
        # A destination serves one task, so the old task must go before its replacement is created.
        return DiffResult(
            changes=plan.has_changes,
            replaces=list(plan.replaces),
            delete_before_replace=bool(plan.replaces),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        task_id, outs = self._lifecycle().create(_from_pulumi(props))
        return CreateResult(task_id, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self._lifecycle().read(id_, _from_pulumi(props))
        if found is None:
            return ReadResult(id_="", outs={})  # gone: refresh drops it, the next up recreates it
        outs, inputs = found
        return ReadResult(id_=id_, outs=outs, inputs=inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._lifecycle().update(_id, _from_pulumi(_olds), _from_pulumi(_news)))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        self._lifecycle().delete(_id, _from_pulumi(_props))


def resource_props(rules: Rules, args: Mapping[str, Any], extra_secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The property bag of a RelayTask: every input (secret ones wrapped as secrets, so the state's
    inputs are encrypted as well as its outputs) and every output attribute, unknown until created."""
    secret = set(rules.secret_names) | set(extra_secrets)
    props = {k: (pulumi.Output.secret(v) if k in secret and v is not None else v) for k, v in args.items()}
    props.update({f.name: None for f in rules.outputs})
    return props


def resource_options(
    rules: Rules, opts: pulumi.ResourceOptions | None, extra_secrets: tuple[str, ...] = ()
) -> pulumi.ResourceOptions:
    secrets = sorted(set(rules.secret_names) | set(extra_secrets))
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=secrets))


def secret_when_query(name: str, url: Any) -> tuple[str, ...]:
    """A URL with query parameters carries auth keys: make it a secret. One not known yet (an Output)
    is treated as such."""
    if url is None or (isinstance(url, str) and "?" not in url):
        return ()
    return (name,)
