"""Every exception pulumi_relaytask raises on purpose, in one tree.

    RelayTaskError
    ├── ValidationError          bad input, found before any API call (names the field and the rule)
    ├── ConfigurationError       missing or unusable credentials / endpoint
    ├── InconsistentStateError   the cloud contradicts the step just taken (a task created but not
    │                            listed, gone in the middle of an update), or a replacement reached update
    ├── TransportError           the request never got an HTTP answer (DNS, connect, reset, timeout)
    ├── ApiError                 the cloud answered with an error (vendor code and request id kept)
    │   ├── AuthError            signature or credentials refused
    │   ├── ThrottledError       rate limited; safe to retry later
    │   └── TaskNotFoundError    the task id is unknown to the cloud
    └── ApiFault                 the emulator's side: a refusal it answers with (status, vendor code)
        └── SignatureRejected    a request signature missing, malformed, from an unknown key or wrong

The client side raises the first five; the emulator raises ApiFault in its backends and signature
verifiers, and each cloud's wire module renders it in that cloud's error shape. A programmer's misuse
(a naive datetime, starting an emulator that runs) raises Python's own TypeError, ValueError or
RuntimeError, as the standard library does: those are bugs to fix, not conditions to handle.

Messages never contain credentials: clients build them from vendor codes, vendor messages and
request ids only, and verifiers name the reason, never a secret or an expected signature.
"""

from __future__ import annotations


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


class TransportError(RelayTaskError):
    """No HTTP answer was received (connection refused, reset, timeout)."""


class ApiError(RelayTaskError):
    """The cloud answered with an error."""

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
        self.message = message
        self.request_id = request_id
        rid = f" (request id {request_id})" if request_id else ""
        super().__init__(f"{cloud} {operation} failed: HTTP {status} {code}: {message}{rid}")


class AuthError(ApiError):
    """The cloud refused the credentials or the signature."""


class ThrottledError(ApiError):
    """The cloud rate-limited the request."""


class TaskNotFoundError(ApiError):
    """The task does not exist (any more)."""


class ApiFault(RelayTaskError):
    """A refusal the emulated API answers with: HTTP status, vendor error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"HTTP {status} {code}: {message}")


class SignatureRejected(ApiFault):
    """A request's signature is refused; status and code are what the vendor answers for the reason."""
