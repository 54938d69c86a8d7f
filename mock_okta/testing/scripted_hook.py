"""A deliberately misbehaving registration hook (an ASGI app) for testing tools that call hooks: serve it on
loopback with `ServerThread(ScriptedHook())` and pick the behaviour by path.

/respond/<name>     200 with the canned JSON body CANNED[name] (`token-*`: token inline hook answers)
/token-by-login     a token inline hook request: 200 with CANNED[<name>] for a user whose login is `<name>+...@...`
                    (one hook, one answer per user: a run of several cases proves several answers' outcomes)
/status/<code>      that status with body {}
/flaky/<key>        500 on the first call for <key>, then the guide's ALLOW
/hang               never answers (waits until the client goes away)
/trickle            200 headers, then one byte every 500 ms
/redirect           302 to /respond/allow
/big                200 with a 300 KB JSON body
/text               200 with a non-JSON body
/empty200           200 with an empty body
/nocontent          204
/echo-headers       200 {} and keeps the request headers in `requests`
/gzip/<name>        CANNED[name], gzip-compressed (Content-Encoding: gzip)
/gzip-bomb          64 MB of JSON whitespace that gzip squeezes into about 64 KB
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import json
import struct
import zlib
from collections import Counter
from functools import cache
from typing import Any

ALLOW = {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]}
DENY_CMD = {"type": "com.okta.action.update", "value": {"registration": "DENY"}}
EMAIL_CAUSE = {
    "errorSummary": "Only example.com emails can register.",
    "reason": "INVALID_EMAIL_DOMAIN",
    "locationType": "body",
    "location": "data.userProfile.email",
    "domain": "end-user",
}

CANNED: dict[str, Any] = {
    "allow": ALLOW,
    "empty-object": {},
    "empty-commands": {"commands": []},
    "deny-without-error": {"commands": [DENY_CMD]},
    "deny-with-field-error": {
        "commands": [DENY_CMD],
        "error": {"errorSummary": "Incorrect email address.", "errorCauses": [EMAIL_CAUSE]},
    },
    "error-without-causes": {"commands": [DENY_CMD], "error": {"errorSummary": "Nope."}},
    "error-empty": {"error": {}},
    "error-with-allow": {
        "commands": [
            ALLOW["commands"][0],
            {"type": "com.okta.user.profile.update", "value": {"nickName": "x"}},
        ],
        "error": {"errorSummary": "Nope.", "errorCauses": [EMAIL_CAUSE]},
    },
    "action-key": {"commands": [{"type": "com.okta.action.update", "value": {"action": "DENY"}}]},
    "lowercase-deny": {"commands": [{"type": "com.okta.action.update", "value": {"registration": "deny"}}]},
    "unknown-command": {"commands": [{"type": "com.okta.user.delete", "value": {}}]},
    "profile-update": {
        "commands": [
            {"type": "com.okta.user.profile.update", "value": {"nickName": "Danger", "lastName": "First"}},
            {"type": "com.okta.user.profile.update", "value": {"lastName": "Second"}},
        ]
    },
    "custom-attribute-update": {
        "commands": [{"type": "com.okta.user.profile.update", "value": {"favoriteColor": "teal"}}]
    },
    "progressive-in-ssr": {"commands": [{"type": "com.okta.user.progressive.profile.update", "value": {"a": "1"}}]},
    "cause-unknown-field": {"error": {"errorCauses": [{**EMAIL_CAUSE, "location": "data.userProfile.employeeNumber"}]}},
    "cause-missing-fields": {"error": {"errorCauses": [{"errorSummary": "Bad address."}]}},
    "with-debug-context": {**ALLOW, "debugContext": {"checkedBy": "rules-v2"}},
    "status-code-key": {"statusCode": 500, "reason": "boom"},
    # Answers Python's json reads but nothing can store and send again (JSON with a lone surrogate, NaN, Infinity).
    "surrogate-update": {"commands": [{"type": "com.okta.user.profile.update", "value": {"nickName": "\ud800"}}]},
    "nan-debug-context": {**ALLOW, "debugContext": {"score": float("nan")}},
    "infinite-update": {"commands": [{"type": "com.okta.user.profile.update", "value": {"score": float("inf")}}]},
    "login-object": {"commands": [{"type": "com.okta.user.profile.update", "value": {"login": {"a": 1}}}]},
    "login-null": {"commands": [{"type": "com.okta.user.profile.update", "value": {"login": None}}]},
    "array": [ALLOW],
    # Token inline hook answers (okta-developer-docs docs/reference/token-hook/index.md): the reference's "Sample
    # error response"; a patch that also touches a reserved claim (`sub` of the ID token: "Reserved claims"), which
    # Okta drops whole; and the guide's identity patch with another patient's id than the guide's store holds.
    "token-error": {"error": {"errorSummary": "Human-readable summary of the error"}},
    "token-reserved": {
        "commands": [
            {
                "type": "com.okta.identity.patch",
                "value": [
                    {"op": "add", "path": "/claims/extPatientId", "value": "1235"},
                    {"op": "replace", "path": "/claims/sub", "value": "someone-else"},
                ],
            }
        ]
    },
    "token-other-patient": {
        "commands": [
            {
                "type": "com.okta.identity.patch",
                "value": [{"op": "add", "path": "/claims/extPatientId", "value": "4321"}],
            }
        ]
    },
}


class ScriptedHook:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str], bytes]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        self.calls[path] += 1
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append((path, headers, body))
        parts = path.strip("/").split("/")
        name = parts[0]

        if name == "respond":
            await _send(send, 200, json.dumps(CANNED[parts[1]]).encode())
        elif name == "token-by-login":
            canned = CANNED.get(_login_tag(body))
            status, answer = (200, json.dumps(canned).encode()) if canned else (404, b'{"error": "no such answer"}')
            await _send(send, status, answer)
        elif name == "status":
            await _send(send, int(parts[1]), b"{}")
        elif name == "flaky":
            if self.calls[path] == 1:
                await _send(send, 500, b'{"oops": true}')
            else:
                await _send(send, 200, json.dumps(ALLOW).encode())
        elif name == "slow":  # /slow/<ms>: ALLOW after that long
            await asyncio.sleep(int(parts[1]) / 1000)
            await _send(send, 200, json.dumps(ALLOW).encode())
        elif name == "hang":
            while (await receive())["type"] != "http.disconnect":
                pass
        elif name == "trickle":
            await self._trickle(receive, send)
        elif name == "redirect":
            await _send(send, 302, b"", [(b"location", b"/respond/allow")])
        elif name == "big":
            await _send(send, 200, json.dumps({"debugContext": {"pad": "x" * 300_000}}).encode())
        elif name == "text":
            await _send(send, 200, b"OK, registered", [(b"content-type", b"text/plain")])
        elif name == "empty200":
            await _send(send, 200, b"")
        elif name == "nocontent":
            await _send(send, 204, b"")
        elif name == "echo-headers":
            await _send(send, 200, b"{}")
        elif name == "lenient":  # /lenient/<rule>: an auth check that looks at too little (verify must catch it)
            auth = headers.get("authorization", "")
            user = _basic_user(auth)
            let_in = {
                "any-basic": auth.startswith("Basic "),  # the scheme only
                "user-only": user == "admin",  # the user name, not the password
                "prefix": headers.get("x-api-key", "").startswith("k3y-s3cret"),  # a prefix of the key
            }.get(parts[1], False)
            await _send(send, 200 if let_in else 401, json.dumps(ALLOW).encode() if let_in else b"")
        elif name == "echo-secret":  # /echo-secret/<status>: repeats every header it got, as careless hooks do
            received = " ".join(f"{k}={v}" for k, v in headers.items())
            cause = {"errorSummary": f"bad {received}", "location": "data.userProfile.email"}
            echo = {"debugContext": {"received": headers}, "error": {"errorSummary": received, "errorCauses": [cause]}}
            echoed = [(b"x-echo", received.encode("latin-1"))]
            await _send(send, int(parts[1]), json.dumps(echo).encode(), echoed)
        elif name == "echo-escaped":  # /echo-escaped/<status>/<plain|slash|unicode>: the auth header and its decoded
            # Basic credentials, in a debugContext spelt with JSON escapes (`\/`, or every character as `\uXXXX`)
            auth = headers.get("authorization", "")
            echo = {"debugContext": {"received": auth, "credentials": _basic_credentials(auth)}}
            await _send(send, int(parts[1]), _escaped_json(echo, parts[2]).encode())
        elif name == "gzip":
            body = gzip.compress(json.dumps(CANNED[parts[1]]).encode())
            await _send(send, 200, body, [(b"content-encoding", b"gzip")])
        elif name == "gzip-bomb":
            await _send(send, 200, _gzip_bomb(), [(b"content-encoding", b"gzip")])
        else:
            await _send(send, 404, b'{"error": "no such behaviour"}')

    @staticmethod
    async def _trickle(receive: Any, send: Any) -> None:
        """One byte every 500 ms for 10 s, stopping as soon as the client goes away."""
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
        await send(start)
        try:
            for _ in range(20):
                await send({"type": "http.response.body", "body": b" ", "more_body": True})
                try:
                    await asyncio.wait_for(gone.wait(), 0.5)
                    return
                except TimeoutError:
                    pass
            await send({"type": "http.response.body", "body": json.dumps(ALLOW).encode()})
        finally:
            watcher.cancel()


def _login_tag(body: bytes) -> str:
    """`<name>` of a token hook request's user login `<name>+...@...` ("" when there is none)."""
    try:
        user = json.loads(body)["data"]["context"]["user"]
        login = str(user["profile"]["login"])
    except (ValueError, KeyError, TypeError):
        return ""
    local, plus, _ = login.partition("@")[0].partition("+")
    return local if plus else ""


@cache
def _basic_user(authorization: str) -> str:
    scheme, _, credential = authorization.partition(" ")
    if scheme != "Basic":
        return ""
    try:
        return base64.b64decode(credential).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return ""


@cache
def _gzip_bomb() -> bytes:
    """`{`, 64 MB of spaces, `}`, gzip-compressed, built in milliseconds: a fully flushed deflate block of 1 MB of
    spaces is the same bytes every time, so it is compressed once and repeated (compressing the 64 MB themselves took
    over the 3 s deadline on a loaded machine, and the test saw a timeout instead of the size cap)."""
    megabyte = b" " * (1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    opening = deflate.compress(b"{") + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    closing = deflate.compress(b"}") + deflate.flush(zlib.Z_FINISH)
    crc = zlib.crc32(b"{")
    for _ in range(64):
        crc = zlib.crc32(megabyte, crc)
    crc = zlib.crc32(b"}", crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no time, best compression
    trailer = struct.pack("<II", crc, (64 * 1024 * 1024 + 2) & 0xFFFFFFFF)
    return header + opening + block * 64 + closing + trailer


async def _send(send: Any, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


def _basic_credentials(auth: str) -> str:
    """`user:password` of a Basic header, decoded ("" for another scheme)."""
    scheme, _, credential = auth.partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(credential.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def _escaped_json(document: dict[str, Any], how: str) -> str:
    """`document` as JSON whose strings spell `/` as `\\/` (slash) or every character as `\\uXXXX` (unicode)."""
    if how == "unicode":
        return _unicode_json(document)
    text = json.dumps(document)
    return text.replace("/", "\\/") if how == "slash" else text


def _unicode_json(value: Any) -> str:
    if isinstance(value, str):
        units = value.encode("utf-16-be")  # characters beyond the BMP as their surrogate pairs, as JSON spells them
        return '"' + "".join(f"\\u{units[i] << 8 | units[i + 1]:04x}" for i in range(0, len(units), 2)) + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)}: {_unicode_json(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)
