"""The dynamic-provider shell: Pulumi's `pulumi.dynamic` protocol over `core.lifecycle.Lifecycle`.

One generic class serves the three clouds, parameterised by the cloud's key. Pulumi pickles the
provider into the state: it pickles as a reference to this class and the key, nothing more.
Configuration (credentials included) arrives through `configure` in the provider process and is
never pickled.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .core.values import UNKNOWN, carries_key, companion, holds, map_leaves, redacted_name

if TYPE_CHECKING:  # a program loads this module for its resource classes: the rest waits for the provider
    from .core.lifecycle import Lifecycle
    from .core.settings import ConfigGet
    from .core.shape import Shape

_PULUMI_KEYS = ("__provider",)
LOG_FILE_ENV = "RELAYTASK_LOG_FILE"


def _log_calls() -> None:
    """Append the call log (one line per API attempt, see `core.call.CALL_LOG`) to $RELAYTASK_LOG_FILE."""
    path = os.environ.get(LOG_FILE_ENV)
    if not path:
        return
    from .core.call import CALL_LOG  # only when asked for: the call machinery loads the HTTP client

    if not CALL_LOG.handlers:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        CALL_LOG.addHandler(handler)
        CALL_LOG.setLevel(logging.INFO)


def _from_pulumi(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop Pulumi's own keys, turn its unknown sentinel into the core's, and give back integers
    (Pulumi carries every number as a double; no relay-task field is fractional)."""

    def convert(value: Any) -> Any:
        # Check and diff deserialise an unknown as an `Unknown` object; the raw sentinel string may also come.
        if isinstance(value, Unknown) or (isinstance(value, str) and value == rpc.UNKNOWN):
            return UNKNOWN
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    return {k: map_leaves(v, convert) for k, v in (props or {}).items() if k not in _PULUMI_KEYS}


def _to_pulumi(props: Mapping[str, Any]) -> dict[str, Any]:
    """The core's unknown sentinel back into Pulumi's, wherever it is (inside lists and objects too)."""

    return {k: map_leaves(v, lambda leaf: rpc.UNKNOWN if leaf is UNKNOWN else leaf) for k, v in props.items()}


class RelayTaskProvider(ResourceProvider):
    """The provider of every cloud's RelayTask; `cloud` is the key of `clouds.KEYS`."""

    cloud: str = ""  # set per instance; the per-cloud classes that 0.1 stacks pickled set it per class

    def __init__(self, cloud: str) -> None:
        self.cloud = cloud

    def __reduce__(self) -> tuple[type[RelayTaskProvider], tuple[str]]:
        # Pulumi pickles the provider at registration, before any configure: the class and the key only.
        return (RelayTaskProvider, (self.cloud,))

    def build_lifecycle(self, config_get: ConfigGet) -> Lifecycle:
        from . import clouds  # the cloud's rules and model, on the provider's first request

        return clouds.cloud(self.cloud).lifecycle(config_get)

    def configure(self, req: ConfigureRequest) -> None:
        self._config_get: ConfigGet = req.config.get
        _log_calls()

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
        lifecycle = self._lifecycle()
        if (kept := lifecycle.delete(_id, _from_pulumi(_props))) is not None:
            pulumi.log.warn(f"{lifecycle.rules.cloud} {kept}")


def _holds_output(value: Any) -> bool:
    return holds(value, lambda v: isinstance(v, pulumi.Output))


def _secret_if_key(value: Any) -> Any:
    return pulumi.Output.secret(value) if carries_key(value) else value


def _secret_once_known(value: Any) -> Any:
    """A URL value holding Outputs, each part made secret once known to carry a key. A list is
    wrapped item by item, so its known items stay known (and checked) at preview."""
    if isinstance(value, (list, tuple)):
        return [_secret_once_known(v) if _holds_output(v) else _secret_if_key(v) for v in value]
    return pulumi.Output.from_input(value).apply(_secret_if_key)


def resource_props(shape: Shape, args: Mapping[str, Any]) -> dict[str, Any]:
    """The property bag of a RelayTask: every input (secret ones wrapped as secrets, so the state's
    inputs are encrypted as well as its outputs) and every derived attribute (outputs, unknown until
    the provider fills them in).

    A URL argument that holds an Output becomes secret once its value is known to carry a key. Its
    redacted companion (only for a value that carries a key) is computed here from the value as given,
    so a value the program made secret keeps its companion secret too (the provider cannot see secrecy:
    a stream key in a path)."""
    props: dict[str, Any] = dict.fromkeys(shape.derived)
    known_secrets = set(_known_secrets(shape, args))
    urls = set(shape.urls)
    for name, value in args.items():
        if value is not None and name in known_secrets:
            value = pulumi.Output.secret(value)
        elif value is not None and name in urls and _holds_output(value):
            value = _secret_once_known(value)
        props[name] = value
    for name in urls:
        if carries_key(args.get(name)):  # an Output may: it decides once known
            props[redacted_name(name)] = pulumi.Output.from_input(args[name]).apply(companion)
    return props


def _known_secrets(shape: Shape, args: Mapping[str, Any]) -> list[str]:
    """The arguments known to be secret when the program runs (a value still an Output decides later)."""
    return shape.secrets_for({k: v for k, v in args.items() if k in shape.secrets or not _holds_output(v)})


def resource_options(
    shape: Shape, args: Mapping[str, Any], opts: pulumi.ResourceOptions | None
) -> pulumi.ResourceOptions:
    """The caller's options, with the secret arguments also kept secret in the outputs (the engine
    also keeps an output secret whenever its input was: the provider takes no secrets itself).

    Unless the caller says otherwise, a replacement deletes the old task first: a destination serves
    one task. The diff says so for the replacements it plans; this covers those the engine forces
    without asking the provider (`pulumi up --replace`, `replace_on_changes`)."""
    secrets = _known_secrets(shape, args)
    ours = pulumi.ResourceOptions(delete_before_replace=True)
    return pulumi.ResourceOptions.merge(
        pulumi.ResourceOptions.merge(ours, opts), pulumi.ResourceOptions(additional_secret_outputs=secrets)
    )
