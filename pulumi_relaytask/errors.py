"""Every exception pulumi_relaytask raises on purpose, in one tree.

    RelayTaskError
    ├── ValidationError          bad input, found before any API call (names the field and the rule)
    ├── ConfigurationError       missing or unusable credentials / endpoint
    ├── InconsistentStateError   the cloud contradicts the step just taken (a task created but not
    │                            listed, gone in the middle of an update), or a replacement reached update
    ├── TransportError           the request never got an HTTP answer (DNS, connect, reset, timeout)
    ├── DeadlineExceededError         retries gave up at the deadline (names the last vendor error)
    ├── DestinationTakenError    a new task's destination is held by a task that differs from it
    ├── AdoptionError            adopt_task_id names no task, or one that differs beyond in-place changes
    ├── ApiError                 the cloud answered with an error (vendor code, request id, Kind)
    │   ├── InvalidRequestError  the values were refused
    │   ├── AuthError            signature or credentials refused
    │   ├── ThrottledError       rate limited: refused before it was applied, safe to retry later
    │   ├── UnavailableError     5xx or the cloud's internal error: it may have been applied
    │   ├── ConflictError        the destination (or id) is already taken by a task
    │   └── TaskNotFoundError    the task id is unknown to the cloud
    └── ApiFault                 the emulator's side: a refusal it answers with (status, vendor code)
        └── SignatureRejected    a request signature missing, malformed, from an unknown key or wrong

The client side raises the first eight; the emulator raises ApiFault in its backends and signature
verifiers, and each cloud's wire module renders it in that cloud's error shape. A programmer's misuse
(a naive datetime, starting an emulator that runs) raises Python's own TypeError, ValueError or
RuntimeError, as the standard library does: those are bugs to fix, not conditions to handle.

Messages never contain credentials: clients build them from vendor codes, vendor messages and
request ids only, and verifiers name the reason, never a secret or an expected signature. A vendor
message may echo a URL the request carried, so every query in it is redacted (`redact_queries`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from urllib.parse import quote

_QUERY = re.compile(r"\?[^\s\"'<>()\[\],]*")


def redact_queries(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with every URL query (`?…`, where keys and signatures travel) replaced by `?<redacted>`,
    and each of `secrets` (as sent, or percent-encoded) by `<redacted>`."""
    for secret in sorted(secrets, key=len, reverse=True):
        for form in {secret, quote(secret, safe="")}:
            text = text.replace(form, "<redacted>")
    return _QUERY.sub(lambda m: "?<redacted>" if len(m.group()) > 1 else m.group(), text)


class RelayTaskError(Exception):
    """Base class of every error this package raises on purpose."""


class ValidationError(RelayTaskError):
    """An input breaks a documented rule of the cloud's API."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


class ConfigurationError(RelayTaskError):
    """Credentials or endpoint settings are missing or unusable."""


class InconsistentStateError(RelayTaskError):
    """The cloud's answers contradict the step being taken, so the step stops rather than guess."""


class DestinationTakenError(RelayTaskError):
    """The destination of a new task is held by a task that is not the one this resource asks for."""

    def __init__(self, cloud: str, task_id: str, differences: list[str], *, adopted: bool = False) -> None:
        self.task_id = task_id
        self.differences = differences
        held = f"{cloud}: the destination is already used by task {task_id}, which differs from this resource in "
        if adopted:  # the task this resource adopted, kept by retain_on_delete on a replacement
            advice = (
                f"It is the task this resource adopted, kept (retain_on_delete?) when the resource was replaced: "
                f"delete task {task_id}, or give this resource another destination."
            )
        else:
            advice = (
                f"A destination serves one task: take it over with adopt_task_id={task_id!r}, delete it, or give "
                "this resource another destination."
            )
        super().__init__(f"{held}{', '.join(differences)}. {advice}")


class AdoptionError(RelayTaskError):
    """`adopt_task_id` names a task that cannot be taken over as declared; nothing was changed."""


class TransportError(RelayTaskError):
    """No HTTP answer was received (connection refused, reset, timeout).

    `sent` says whether the request may have reached the cloud: a refused connection was not sent,
    a reset or a timeout after sending leaves the outcome of a write unknown."""

    def __init__(self, message: str, *, sent: bool = True) -> None:
        self.sent = sent
        super().__init__(message)


class DeadlineExceededError(RelayTaskError):
    """An operation kept failing with retryable errors until its deadline."""

    def __init__(self, cloud: str, operation: str, subject: str, seconds: float, attempts: int, last: str) -> None:
        self.cloud = cloud
        self.operation = operation
        self.subject = subject
        self.last = last
        super().__init__(
            f"{cloud} {operation} for {subject}: gave up after {attempts} attempt(s) within the {seconds:g} s "
            f"deadline; last error: {last}. Set relaytask:retryDeadline (or RELAYTASK_RETRY_DEADLINE) to wait longer."
        )


class Kind(StrEnum):
    """What a refusal means for the caller; each cloud's client classifies its answers into these."""

    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    AUTH = "auth"
    FAILED = "failed"


class ApiError(RelayTaskError):
    """The cloud answered with an error."""

    kind = Kind.FAILED

    def __init__(
        self,
        cloud: str,
        operation: str,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
    ) -> None:
        self.cloud = cloud
        self.operation = operation
        self.status = status
        self.code = code
        self.message = redact_queries(message)
        self.request_id = request_id
        self.retry_after: float | None = None  # seconds the cloud asked to wait (Retry-After)
        rid = f" (request id {request_id})" if request_id else ""
        super().__init__(f"{cloud} {operation} failed: HTTP {status} {code}: {self.message}{rid}")


class InvalidRequestError(ApiError):
    """The cloud refused the request's values."""

    kind = Kind.INVALID


class AuthError(ApiError):
    """The cloud refused the credentials or the signature."""

    kind = Kind.AUTH


class ThrottledError(ApiError):
    """The cloud rate-limited the request."""

    kind = Kind.THROTTLED


class UnavailableError(ApiError):
    """The cloud failed on its side; a write may or may not have been applied."""

    kind = Kind.UNAVAILABLE


class ConflictError(ApiError):
    """What the request would create is already taken (a destination serves one task)."""

    kind = Kind.CONFLICT


class TaskNotFoundError(ApiError):
    """The task does not exist (any more)."""

    kind = Kind.NOT_FOUND


ERROR_OF_KIND: dict[Kind, type[ApiError]] = {
    Kind.THROTTLED: ThrottledError,
    Kind.UNAVAILABLE: UnavailableError,
    Kind.NOT_FOUND: TaskNotFoundError,
    Kind.CONFLICT: ConflictError,
    Kind.INVALID: InvalidRequestError,
    Kind.AUTH: AuthError,
    Kind.FAILED: ApiError,
}


class ApiFault(RelayTaskError):
    """A refusal the emulated API answers with: HTTP status, vendor error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"HTTP {status} {code}: {message}")


class SignatureRejected(ApiFault):
    """A request's signature is refused; status and code are what the vendor answers for the reason."""
