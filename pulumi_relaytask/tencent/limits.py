"""Tencent's rate limits and the answers that say "throttled" or "failed on our side".

Shared by the client (its pacing and its classification) and the emulator (its throttling and its
injected faults), so both sides agree. Reference: docs/api-notes.md, "Rate limits and faults".
"""

from __future__ import annotations

from ..core.limits import Answer, RateLimits

# Per account and action, as the action pages give them (Describe on its page, the rest in the summary).
RATE_LIMITS = RateLimits(
    documented=True,
    per_second={
        "CreateLivePullStreamTask": 50,
        "DescribeLivePullStreamTasks": 30,
        "ModifyLivePullStreamTask": 20,
        "DeleteLivePullStreamTask": 50,
        "RestartLivePullStreamTask": 20,
    },
)
# Tencent answers errors inside an HTTP 200 envelope; only the code tells.
THROTTLED = Answer(200, "RequestLimitExceeded", "The request frequency exceeds the limit")
UNAVAILABLE = Answer(200, "InternalError", "Internal error")
