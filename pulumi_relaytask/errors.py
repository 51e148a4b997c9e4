"""Exceptions raised by pulumi_relaytask.

    RelayTaskError
    ├── ValidationError        bad input, found before any API call (names the field and the rule)
    ├── ConfigurationError     missing or unusable credentials / endpoint
    ├── TransportError         the request never got an HTTP answer (DNS, connect, reset, timeout)
    └── ApiError               the cloud answered with an error (vendor code and request id kept)
        ├── AuthError          signature or credentials refused
        ├── ThrottledError     rate limited; safe to retry later
        └── TaskNotFoundError  the task id is unknown to the cloud

Messages never contain credentials: clients build them from vendor codes, vendor messages and
request ids only.
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
