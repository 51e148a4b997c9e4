"""The one call skeleton of the three clients: pace → send → classify → decode, retried within a deadline.

A cloud's client says how a request looks and how its answers read (a `Dialect`: which refusals are
throttling, the cloud's own failure, not found, a conflict, bad input, bad credentials), and how
safe a request is to send again:

- reads, deletes and writes that set absolute values are `idempotent`: every retryable failure is
  retried;
- other writes give a `confirm` callback: after an ambiguous failure (the request may have been
  applied: a reset or timeout after sending, the cloud's 5xx) the skeleton asks it whether the write
  took effect before sending again, and a conflict after such a failure is checked the same way.

Retryable: throttling (refused before it was applied), the cloud's 5xx, and transport errors.
Waits are exponential with full jitter, at least the `Retry-After` the cloud sent, and the whole
resource operation stops at one deadline (`deadline_scope`) with `DeadlineExceededError` naming the
cloud, the operation, the task and the last vendor error. Every attempt first takes a token from
the bucket of its (cloud, account, action), shared by all threads of the process.
Reference: docs/api-notes.md, "Rate limits and faults".
"""

from __future__ import annotations

import abc
import contextlib
import email.utils
import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
import pydantic
from tenacity import RetryCallState, Retrying, retry_if_exception, wait_random_exponential

from ..errors import (
    ERROR_OF_KIND,
    ApiError,
    DeadlineExceededError,
    InvalidRequestError,
    Kind,
    ThrottledError,
    TransportError,
    UnavailableError,
    redact_queries,
)
from .deadline import Deadline, deadline_scope
from .limits import Buckets, RateLimits
from .settings import CallPolicy

Body = dict[str, Any]
# Failures that happen before a byte of the request left: sending again cannot duplicate anything.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
BACKOFF_BASE = 0.1
BACKOFF_CAP = 5.0
BUCKETS = Buckets()  # module-level: the engine may unpickle several providers into one process
CALL_LOG = logging.getLogger("pulumi_relaytask.calls")
"""One line per API attempt: cloud, operation, subject, outcome, time. Never a URL, a body or a header:
what a request carries may be secret. `RELAYTASK_LOG_FILE` sends it to a file (see `provider.py`)."""


@dataclass(frozen=True)
class Refusal:
    """A classified error answer."""

    kind: Kind
    code: str
    message: str
    request_id: str | None = None


class Dialect(Protocol):
    """How one cloud's answers read."""

    cloud: str

    def refusal(self, operation: str, response: httpx.Response, body: Body | None) -> Refusal | None:
        """The refusal this answer carries, or None when it is a success."""
        ...

    def payload(self, operation: str, body: Body) -> Body:
        """The answer's content inside any envelope."""
        ...


class StatusDialect(abc.ABC):
    """A dialect whose failures carry an HTTP status ≥ 400 and name the error in the JSON body."""

    cloud: str
    code_key: str
    message_key: str
    request_id_key: str
    request_id_header: str | None = None

    @abc.abstractmethod
    def kind(self, status: int, code: str, message: str) -> Kind:
        """What the refusal means, from its status, code and message."""

    def refusal(self, operation: str, response: httpx.Response, body: Body | None) -> Refusal | None:
        status = response.status_code
        if status < 400:
            return None
        body = body or {}
        code = str(body.get(self.code_key) or f"HTTP{status}")
        message = str(body.get(self.message_key) or response.reason_phrase)
        request_id = body.get(self.request_id_key)
        if not request_id and self.request_id_header:
            request_id = response.headers.get(self.request_id_header)
        return Refusal(self.kind(status, code, message), code, message, str(request_id) if request_id else None)

    def payload(self, operation: str, body: Body) -> Body:
        return body


def confirmed_by(check: Callable[[], bool] | None) -> Callable[[], Body | None] | None:
    """A write's yes/no confirmation (did it take effect?) as `Caller.call`'s `confirm`."""
    if check is None:
        return None
    return lambda: {} if check() else None


# -- reading answers -----------------------------------------------------------------------------


@contextlib.contextmanager
def answer_shape(cloud: str, operation: str) -> Iterator[None]:
    """Read a success answer's fields: one that lacks or mistypes a documented field is the cloud's
    error (InvalidResponse), never a KeyError or pydantic's ValidationError reaching the user.

    The message names where, never the values (an answer may carry push arguments), and the cause is
    not chained for the same reason.
    """
    try:
        yield
    except KeyError as exc:
        raise ApiError(cloud, operation, 200, "InvalidResponse", f"the answer has no {exc.args[0]}") from None
    except pydantic.ValidationError as exc:
        where = ", ".join(".".join(str(part) for part in err["loc"]) or "the answer" for err in exc.errors())
        raise ApiError(cloud, operation, 200, "InvalidResponse", f"missing or mistyped: {where}") from None
    except TypeError:
        raise ApiError(cloud, operation, 200, "InvalidResponse", "the answer is not shaped as documented") from None


def retry_after(response: httpx.Response, now: datetime | None = None) -> float | None:
    """Seconds the answer asks the client to wait (`Retry-After`: seconds or an HTTP date), if any."""
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(raw)
        return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    return None


def _json_object(response: httpx.Response) -> Body | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def describe(exc: BaseException) -> str:
    """The last error, for DeadlineExceededError: the vendor code and message, or the transport failure."""
    if isinstance(exc, ApiError):
        return f"{exc.code} ({exc.kind}): {exc.message}"
    return str(exc)


def make_client(
    base_url: str, auth: httpx.Auth, policy: CallPolicy, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client that is safe to share between the provider's worker threads."""
    return httpx.Client(
        base_url=base_url,
        auth=auth,
        timeout=httpx.Timeout(policy.timeout, connect=min(policy.timeout, 10.0)),
        transport=transport,
        headers={"User-Agent": "pulumi-relaytask"},
    )


# -- the skeleton --------------------------------------------------------------------------------


@dataclass
class _Attempts:
    ambiguous: bool = False  # an earlier attempt may have been applied


class Caller:
    """Sends one cloud's requests for one account; shared by the provider's threads."""

    def __init__(
        self,
        dialect: Dialect,
        account: str,
        limits: RateLimits,
        policy: CallPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        buckets: Buckets = BUCKETS,
    ) -> None:
        self.dialect = dialect
        self.account = account
        self.limits = limits
        self.policy = policy
        self._sleep = sleep
        self._buckets = buckets

    def call(
        self,
        http: httpx.Client,
        operation: str,
        *,
        subject: str,
        idempotent: bool,
        confirm: Callable[[], Body | None] | None = None,
        **request: Any,
    ) -> Body:
        """Send `request` (httpx.Client.request keywords) until it succeeds, fails for good, or the deadline.

        `subject` names what the call is about in errors and the call log ("task 123", "the destination"):
        never a value the task carries."""
        cloud = self.dialect.cloud
        with deadline_scope(self.policy.deadline) as deadline:
            attempts = _Attempts()

            def attempt() -> Body:
                if attempts.ambiguous and confirm is not None:
                    found = confirm()
                    if found is not None:
                        return found
                self._pace(operation, subject, deadline)
                try:
                    # No single request outlives the deadline (a floor keeps a last attempt possible).
                    timeout = min(self.policy.timeout, max(deadline.remaining(), 1.0))
                    return self._send(http, operation, subject, {**request, "timeout": timeout})
                except (TransportError, UnavailableError) as exc:
                    attempts.ambiguous |= not isinstance(exc, TransportError) or exc.sent
                    raise
                except ApiError as exc:
                    # Our own earlier attempt may be what now holds the destination.
                    if exc.kind is Kind.CONFLICT and attempts.ambiguous and confirm is not None:
                        found = confirm()
                        if found is not None:
                            return found
                    raise

            def retryable(exc: BaseException) -> bool:
                if isinstance(exc, ThrottledError) or (isinstance(exc, TransportError) and not exc.sent):
                    return True
                if isinstance(exc, (TransportError, UnavailableError)):
                    return idempotent or confirm is not None
                return False

            def give_up(state: RetryCallState) -> Body:
                last = state.outcome.exception() if state.outcome else None
                raise DeadlineExceededError(
                    cloud, operation, subject, deadline.seconds, state.attempt_number, describe(last or Exception())
                ) from None

            retrying = Retrying(
                retry=retry_if_exception(retryable),
                wait=_Backoff(),
                stop=lambda state: state.upcoming_sleep >= deadline.remaining(),
                sleep=self._sleep,
                retry_error_callback=give_up,
            )
            result: Body = retrying(attempt)
            return result

    def _pace(self, operation: str, subject: str, deadline: Deadline) -> None:
        rate = self.limits.rate(operation)
        if rate is None:
            return
        wait = self._buckets.get((self.dialect.cloud, self.account, operation), rate).reserve(
            max(0.0, deadline.remaining())
        )
        if wait is None:
            raise DeadlineExceededError(
                self.dialect.cloud, operation, subject, deadline.seconds, 0, f"client-side rate limit of {rate:g}/s"
            )
        if wait > 0:
            self._sleep(wait)

    def _send(self, http: httpx.Client, operation: str, subject: str, request: Mapping[str, Any]) -> Body:
        cloud = self.dialect.cloud
        started = time.monotonic()
        try:
            response = http.request(**request)
        except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
            # check bounds every argument so that this cannot happen; if it does, nothing was sent.
            CALL_LOG.info("%s %s %s: not sent (invalid URL or header)", cloud, operation, subject)
            reason = "the request cannot be sent: its URL or a header is invalid"
            raise InvalidRequestError(cloud, operation, 0, "InvalidRequest", reason) from None
        except httpx.TransportError as exc:
            sent = not isinstance(exc, _UNSENT)
            CALL_LOG.info("%s %s %s: no answer (%s)", cloud, operation, subject, type(exc).__name__)
            raise TransportError(f"{cloud} {operation}: no answer ({type(exc).__name__})", sent=sent) from None
        body = _json_object(response)
        refusal = self.dialect.refusal(operation, response, body)
        CALL_LOG.info(
            "%s %s %s: HTTP %s %s in %.0f ms%s",
            cloud,
            operation,
            subject,
            response.status_code,
            refusal.code if refusal else "ok",
            (time.monotonic() - started) * 1000,
            f" (request id {refusal.request_id})" if refusal and refusal.request_id else "",
        )
        if refusal is not None:
            message = redact_queries(refusal.message, sent_secrets(request))
            error = ERROR_OF_KIND[refusal.kind](
                cloud, operation, response.status_code, refusal.code, message, refusal.request_id
            )
            error.retry_after = retry_after(response)
            raise error
        if body is None:
            raise ApiError(cloud, operation, response.status_code, "InvalidResponse", "body is not a JSON object")
        with answer_shape(cloud, operation):
            return self.dialect.payload(operation, body)


def sent_secrets(request: Mapping[str, Any]) -> set[str]:
    """What a vendor message may echo of a request that must not be shown: each URL's query and
    `user:password` part, and whole `key=value` texts (push arguments)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.update(_secret_parts(value))
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for key in ("json", "params", "data"):
        walk(request.get(key))
    return {part for part in found if len(part) >= 4}  # shorter texts would blank ordinary words


def _secret_parts(text: str) -> list[str]:
    if text.startswith(("[", "{")):  # a JSON-encoded parameter (Alibaba's SourceUrls)
        with contextlib.suppress(ValueError):
            decoded = json.loads(text)
            return [
                part
                for item in (decoded if isinstance(decoded, list) else [decoded])
                for part in _secret_parts(str(item))
            ]
    parts = []
    if "?" in text:
        parts.append(text.split("?", 1)[1])
    userinfo = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*)@", text)
    if userinfo:
        parts.append(userinfo[1])
    if "=" in text and "://" not in text:
        parts.append(text)
    return parts


class _Backoff:
    """Full jitter (a random wait up to base·2ⁿ, capped), never shorter than the cloud's Retry-After."""

    def __init__(self) -> None:
        self._jitter = wait_random_exponential(multiplier=BACKOFF_BASE, max=BACKOFF_CAP)

    def __call__(self, state: RetryCallState) -> float:
        wait = float(self._jitter(state))
        exc = state.outcome.exception() if state.outcome else None
        after = getattr(exc, "retry_after", None)
        return max(wait, after) if isinstance(after, float) else wait
