"""The emulator's task state: one SQLite table shared by every cloud, safe across threads and restarts.

A row is keyed by (cloud, account, scope, task_id) and holds the task as a JSON document. `seq`
grows with every new row and is kept on update, so listings come back in creation order.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    cloud   TEXT NOT NULL,
    account TEXT NOT NULL,
    scope   TEXT NOT NULL,
    task_id TEXT NOT NULL,
    doc     TEXT NOT NULL,
    UNIQUE (cloud, account, scope, task_id)
)
"""


class TaskStore:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        # One connection guarded by a lock: the server is threaded, and `:memory:` needs one connection.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute(_SCHEMA)

    def put(self, cloud: str, account: str, scope: str, task_id: str, doc: dict[str, Any]) -> None:
        """Insert the task, or replace its document keeping its place in the order."""
        with self._lock:
            self._db.execute(
                "INSERT INTO tasks (cloud, account, scope, task_id, doc) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (cloud, account, scope, task_id) DO UPDATE SET doc = excluded.doc",
                (cloud, account, scope, task_id, json.dumps(doc, sort_keys=True)),
            )

    def get(self, cloud: str, account: str, scope: str, task_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT doc FROM tasks WHERE cloud = ? AND account = ? AND scope = ? AND task_id = ?",
                (cloud, account, scope, task_id),
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def delete(self, cloud: str, account: str, scope: str, task_id: str) -> bool:
        """Remove the task; False when there was none."""
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM tasks WHERE cloud = ? AND account = ? AND scope = ? AND task_id = ?",
                (cloud, account, scope, task_id),
            )
        return cursor.rowcount > 0

    def list(self, cloud: str, account: str, scope: str | None = None) -> list[dict[str, Any]]:
        """Every task of the account (optionally of one scope), in creation order."""
        query = "SELECT doc FROM tasks WHERE cloud = ? AND account = ?"
        params: tuple[str, ...] = (cloud, account)
        if scope is not None:
            query += " AND scope = ?"
            params += (scope,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY seq", params).fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def count(self, cloud: str | None = None) -> int:
        with self._lock:
            if cloud is None:
                row = self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()
            else:
                row = self._db.execute("SELECT COUNT(*) FROM tasks WHERE cloud = ?", (cloud,)).fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
