"""The org's hook keys (`/api/v1/hook-keys`, spec tag HookKey): RSA key pairs Okta keeps to sign the client
assertions of inline hooks that authenticate with OAuth 2.0 `private_key_jwt`. Only the public half ever leaves the
org (`GET /api/v1/hook-keys/public/{keyId}`), to be registered with the authorization server that issues the
hook's tokens."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..hook.ids import event_time, okta_id
from .errors import ApiValidationError, Forbidden, ResourceNotFound
from .models import HookKey
from .store import Store

MAX_KEYS = 50  # "You can create at most 50 keys" (spec, createHookKey)


class HookKeys:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key_id: str) -> HookKey:
        found = self.store.hook_key(key_id)
        if found is None or found.id != key_id:
            raise ResourceNotFound(key_id, "HookKey")
        return found

    def public(self, key_id: str) -> HookKey:
        """By the public key's alias (`keyId`), as `GET /api/v1/hook-keys/public/{keyId}` looks it up."""
        found = self.store.hook_key(key_id)
        if found is None or found.key_id != key_id:
            raise ResourceNotFound(key_id, "HookKey")
        return found

    def create(self, body: Any) -> HookKey:
        name = _name(body)
        if len(self.store.hook_keys()) >= MAX_KEYS:
            raise ApiValidationError([f"An org can have at most {MAX_KEYS} hook keys"])
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_id, now = str(uuid.uuid4()), event_time()
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        # The spec's example public key: kty RSA, alg "RSA", kid = keyId, use null.
        jwk = {"kty": "RSA", "alg": "RSA", "kid": key_id, "use": None, "e": public["e"], "n": public["n"]}
        return self.store.save_hook_key(HookKey(okta_id("HKY"), key_id, name, now, now, jwk, pem))

    def rename(self, key_id: str, body: Any) -> HookKey:
        return self.store.save_hook_key(replace(self.get(key_id), name=_name(body), last_updated=event_time()))

    def delete(self, key_id: str) -> None:
        key = self.get(key_id)
        if self.in_use(key):
            raise Forbidden(["The key is used by an inline hook: change the hook's channel first"])
        self.store.delete_hook_key(key.id)

    def in_use(self, key: HookKey) -> bool:
        return any(h.channel.oauth and h.channel.oauth.hook_key_id == key.id for h in self.store.inline_hooks())

    def all(self) -> list[HookKey]:
        return self.store.hook_keys()


def render_hook_key(key: HookKey, used: bool, *, embedded: bool) -> dict[str, Any]:
    """The spec's HookKey (list, get, update) or DetailedHookKeyInstance (create: with the public key)."""
    body: dict[str, Any] = {
        "id": key.id,
        "keyId": key.key_id,
        "name": key.name,
        "created": key.created,
        "lastUpdated": key.last_updated,
        "isUsed": "true" if used else "false",
    }
    if embedded:
        body["_embedded"] = key.public_jwk
    return body


def _name(body: Any) -> str:
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
        raise ApiValidationError(["name: The field cannot be left blank and must be at most 255 characters"])
    return name.strip()
