"""The HTTP boundary shared by the three clients: one httpx client, retries, error translation.

Transport failures are translated to TransportError in one place (`transport_errors`); each cloud's
client maps its own error bodies to the ApiError tree.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import httpx
import pydantic

from ..errors import ApiError, ThrottledError, TransportError

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


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


@contextlib.contextmanager
def transport_errors(cloud: str, operation: str) -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as exc:
        raise TransportError(f"{cloud} {operation}: no answer from the endpoint ({type(exc).__name__})") from exc


def make_client(base_url: str, auth: httpx.Auth, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client that is safe to share between the provider's worker threads."""
    return httpx.Client(
        base_url=base_url,
        auth=auth,
        timeout=DEFAULT_TIMEOUT,
        transport=transport,
        headers={"User-Agent": "pulumi-relaytask"},
    )


def with_retries(
    call: Callable[[], T],
    *,
    attempts: int = 3,
    base_delay: float = 0.5,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """Repeat an idempotent request on throttling, 5xx and transport errors, with exponential backoff."""
    for attempt in range(1, attempts + 1):
        try:
            response = call()
        except (TransportError, ThrottledError):
            if attempt == attempts:
                raise
        except ApiError as exc:
            if exc.status not in RETRY_STATUSES or attempt == attempts:
                raise
        else:
            return response
        (sleep or time.sleep)(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def outcome_unknown(exc: Exception) -> bool:
    """Whether a failed write may have happened anyway (no answer, throttled at the edge, 5xx)."""
    if isinstance(exc, (TransportError, ThrottledError)):
        return True
    return isinstance(exc, ApiError) and exc.status >= 500


def create_once(
    create: Callable[[], str],
    find_created: Callable[[], str | None],
    *,
    attempts: int = 3,
    base_delay: float = 0.5,
    sleep: Callable[[float], None] | None = None,
) -> str:
    """Create exactly once: after an unknown outcome (or a retry refused as a duplicate), ask the cloud
    whether the task exists, by the identity the caller gave it, before creating again."""
    for attempt in range(1, attempts + 1):
        try:
            return create()
        except (TransportError, ApiError) as exc:
            unknown = outcome_unknown(exc)
            if unknown or attempt > 1:
                existing = find_created()
                if existing is not None:
                    return existing
            if not unknown or attempt == attempts:
                raise
        (sleep or time.sleep)(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
