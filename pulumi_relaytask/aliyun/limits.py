"""Alibaba's rate limits and the answers that say "throttled" or "failed on our side".

Shared by the client (its pacing and its classification) and the emulator (its throttling and its
injected faults), so both sides agree. Reference: docs/api-notes.md, "Rate limits and faults".
"""

from __future__ import annotations

from ..core.limits import Answer, RateLimits

# 10 calls per second per user; applied per action, as Alibaba's flow control counts them.
_PER_USER = 10
RATE_LIMITS = RateLimits(
    documented=True,
    per_second=dict.fromkeys(
        (
            "CreateLivePullToPush",
            "DescribeLivePullToPush",
            "DescribeLivePullToPushList",
            "UpdateLivePullToPush",
            "StopLivePullToPush",
            "RestartLivePullToPush",
            "DeleteLivePullToPush",
        ),
        _PER_USER,
    ),
)
THROTTLED = Answer(400, "Throttling.User", "Request was denied due to user flow control")
UNAVAILABLE = Answer(500, "InternalError", "The request processing has failed due to some unknown error")
