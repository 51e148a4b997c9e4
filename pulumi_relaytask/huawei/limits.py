"""Huawei's rate limits and the answers that say "throttled" or "failed on our side".

Shared by the client (its pacing and its classification) and the emulator (its throttling and its
injected faults), so both sides agree. Reference: docs/api-notes.md, "Rate limits and faults".
"""

from __future__ import annotations

from ..core.limits import Answer, RateLimits

# No figure is documented: 20 calls per second per access key and operation is this project's assumption.
RATE_LIMITS = RateLimits(
    documented=False,
    per_second={"CreatePullTask": 20, "ListPullTasks": 20, "ModifyPullTask": 20, "DeletePullTask": 20},
)
THROTTLED = Answer(429, "APIGW.0308", "The throttling threshold has been reached")
UNAVAILABLE = Answer(500, "APIGW.0201", "Service unavailable, retry later")
