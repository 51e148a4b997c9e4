"""The one error type backends raise; each cloud's wire module renders it in that cloud's shape."""

from __future__ import annotations


class ApiFault(Exception):
    """A refusal the API would answer with: HTTP status, vendor error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"HTTP {status} {code}: {message}")
