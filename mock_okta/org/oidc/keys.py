"""Each custom authorization server's RS256 signing key, made when first needed and kept while the org runs (a
restart gives new keys, as a key rotation would). The `default` server signs with the key its OAuth 2.0 hook
clients' tokens already use, so one JWKS checks both."""

from __future__ import annotations

import threading
from typing import Any

from ..oauth import SigningKey


class ServerKeys:
    def __init__(self, default: SigningKey) -> None:
        self._keys: dict[str, SigningKey] = {"default": default}
        self._lock = threading.Lock()

    def key(self, server_id: str) -> SigningKey:
        with self._lock:
            found = self._keys.get(server_id)
            if found is None:
                found = self._keys[server_id] = SigningKey("mokta-" + server_id[:8] + "-")
            return found

    def kid(self, server_id: str) -> str:
        return self.key(server_id).key_id

    def jwks(self, server_id: str) -> dict[str, Any]:
        return self.key(server_id).jwks()

    def forget(self, server_id: str) -> None:
        """A deleted server's key goes with it (the `default` server keeps its hook clients' key)."""
        if server_id != "default":
            with self._lock:
                self._keys.pop(server_id, None)
