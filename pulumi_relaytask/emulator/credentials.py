"""The credentials the emulator accepts.

Out of the box: access key `relaytask-demo-ak` with secret `relaytask-demo-sk`, for every cloud
(and any Huawei project id). A JSON file adds more:

    {
      "huawei":  {"ACCESS_KEY": "SECRET_KEY", ...},
      "tencent": {"SECRET_ID": "SECRET_KEY", ...},
      "aliyun":  {"ACCESS_KEY_ID": "ACCESS_KEY_SECRET", ...},
      "tokens":  ["token accepted in X-Auth-Token", ...]
    }

Every key is optional. A token is accepted only when it is listed; there is no token by default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from .stats import CLOUDS

DEMO_ACCESS_KEY = "relaytask-demo-ak"
DEMO_SECRET_KEY = "relaytask-demo-sk"


@dataclass(frozen=True)
class Credentials:
    keys: Mapping[str, Mapping[str, str]] = field(repr=False)  # cloud -> access key -> secret
    tokens: frozenset[str] = field(default_factory=frozenset, repr=False)

    def __repr__(self) -> str:
        # Secrets and tokens stay out of logs and test failure output.
        names = {cloud: sorted(keys) for cloud, keys in self.keys.items()}
        return f"Credentials(access_keys={names}, tokens={len(self.tokens)})"

    @classmethod
    def default(cls) -> Credentials:
        return cls.from_mapping({})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Credentials:
        """The demo key plus the keys and tokens in `data` (the file's shape, see the module doc)."""
        keys: dict[str, dict[str, str]] = {cloud: {DEMO_ACCESS_KEY: DEMO_SECRET_KEY} for cloud in CLOUDS}
        for cloud in CLOUDS:
            extra = data.get(cloud, {})
            if not isinstance(extra, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
            ):
                raise ConfigurationError(f'credentials: "{cloud}" must map access keys to secret keys (strings)')
            keys[cloud].update(extra)
        tokens = data.get("tokens", [])
        if not isinstance(tokens, list) or not all(isinstance(t, str) and t for t in tokens):
            raise ConfigurationError('credentials: "tokens" must be a list of non-empty strings')
        return cls(keys=keys, tokens=frozenset(tokens))

    @classmethod
    def from_file(cls, path: str | Path) -> Credentials:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"credentials file {path} is not valid JSON (line {exc.lineno})") from None
        if not isinstance(data, dict):
            raise ConfigurationError(f"credentials file {path} must hold a JSON object")
        return cls.from_mapping(data)

    def secret_for(self, cloud: str, access_key: str) -> str | None:
        return self.keys.get(cloud, {}).get(access_key)

    def huawei_secret(self, access_key: str) -> str | None:
        return self.secret_for("huawei", access_key)

    def token_ok(self, token: str) -> bool:
        return token in self.tokens
