"""The token hook's case vocabulary (the cases file's keys beyond `name`, `expect` and `max_ms`):

```yaml
type: token                                  # or com.okta.oauth2.tokens.transform
cases:
  - name: a patient gets extPatientId
    user: {login: "jessie.smith@example.com"} # the user's profile; missing members generated ({uid}: unique per run)
    grant_type: authorization_code            # (default) | client_credentials | refresh_token
    scopes: [openid, profile, email]          # the granted scopes (default: openid profile email)
    client: {id: 0oa1example, name: Portal, type: PUBLIC}   # default: a generated confidential client
    expect: patched                           # patched | unchanged | error | failure
    identity: {extPatientId: "1235"}          # claims the issued ID token carries, with these values
    access: {sub: "jessie.smith@example.com"} # the same for the access token (a mapping of one claim or more)
    absent: [identity.patientId, access.extPatientId]   # claims the issued tokens do not carry
    lifetime: {identity: 3600, access: 7200}  # the issued tokens' lifetimes in seconds
  - name: an unknown user is refused
    user: {login: "nobody@example.com"}
    expect: error
    error: "User not found"                   # the server_error's error_description
  - name: a reserved claim is dropped
    expect: failure
    patch_dropped: true                       # the hook answered, and Okta refused its patch (true, or a text of
                                              # the reason, e.g. "reserved claim")
```

The claims, `absent` and `lifetime` are checked on the tokens Okta issues after the hook's answer (the minted
claims and lifetimes, patched); a failed call or a dropped patch issues the tokens as minted, which only
`expect: failure` accepts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ...hook.cases import fill_uid
from ...hook.outcome import HookRun
from ...hook.registry import CaseProblem
from .contract import AUTHORIZATION_CODE, CLIENT_CREDENTIALS, GRANT_TYPES
from .payloads import TokenClient, build_request, generate_minting
from .verdict import ACCESS, IDENTITY, TOKENS, Verdict

CASE_KEYS = (
    "user",
    "grant_type",
    "scopes",
    "client",
    "identity",
    "access",
    "absent",
    "lifetime",
    "error",
    "patch_dropped",
)
_NAMES = {IDENTITY: "ID token", ACCESS: "access token"}
# The guide's patients store (docs/guides/token-inline-hook/main/index.md, "Create a patient store"): its first entry.
GUIDE_PATIENT = "jessie.smith@example.com"
GUIDE_PATIENT_ID = "1235"


class Expect(StrEnum):
    PATCHED = "patched"
    UNCHANGED = "unchanged"
    ERROR = "error"
    FAILURE = "failure"


@dataclass(frozen=True)
class TokenCase:
    name: str
    expect: str | None
    user: Mapping[str, str] = field(default_factory=dict)
    grant_type: str = AUTHORIZATION_CODE
    scopes: tuple[str, ...] | None = None
    client: TokenClient | None = None
    claims: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # token → claim → value
    absent: tuple[tuple[str, str], ...] = ()  # (token, claim)
    lifetime: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    patch_dropped: bool | str = False
    max_ms: float | None = None

    def with_uid(self, uid: str) -> TokenCase:
        """The case one run judges: `{uid}` filled in every text of its inputs and its expectations with the value
        the request got (README: "`{uid}`: unique per run"), so `access: {sub: "kim-{uid}@example.com"}` expects
        the login `user: {login: "kim-{uid}@example.com"}` signs in with."""
        client = self.client
        if client is not None:
            client = TokenClient(fill_uid(client.id, uid), fill_uid(client.name, uid), client.type)
        dropped = fill_uid(self.patch_dropped, uid) if isinstance(self.patch_dropped, str) else self.patch_dropped
        return replace(
            self,
            user=fill_uid(dict(self.user), uid),
            client=client,
            claims=fill_uid(dict(self.claims), uid),
            absent=fill_uid(self.absent, uid),
            error=fill_uid(self.error, uid),
            patch_dropped=dropped,
        )

    def request(self, uid: str, *, seed: int | None = None, engine: str = "ie") -> dict[str, Any]:
        """The request Okta sends for this case; `{uid}` in the user's profile becomes `uid`."""
        profile = {key: value.replace("{uid}", uid) for key, value in self.user.items()}
        minting = generate_minting(
            self.grant_type, seed=seed, profile=profile or None, scopes=self.scopes, client=self.client
        )
        return build_request(minting)

    def skip_reason(self, engine: str) -> str | None:
        return None  # custom authorization servers mint the same way on both engines

    def judge_details(self, run: HookRun[Any]) -> list[str]:
        verdict = run.verdict
        if not isinstance(verdict, Verdict):
            return [f"expected a token hook's verdict, got {type(verdict).__name__}"]
        return self.judge_issued(verdict)

    def judge_issued(self, verdict: Verdict) -> list[str]:
        """The case's claims, absences, lifetimes, error text and dropped patch against what was issued: a verdict
        of a call (`verify`), or one made of the tokens an org issued (the browser cases)."""
        problems: list[str] = []
        for token, wanted in self.claims.items():
            claims = verdict.claims(token)
            for claim, value in wanted.items():
                expected = f"expected the {_NAMES[token]} to carry {claim}={_show(value)}"
                if claims is None:
                    problems.append(f"{expected}; {_not_issued(verdict, token)}")
                elif claim not in claims:
                    problems.append(f"{expected}; it has no {claim}")
                elif not _same(claims[claim], value):
                    problems.append(f"{expected}; it carries {claim}={_show(claims[claim])}")
        for token, claim in self.absent:
            claims = verdict.claims(token)
            if claims is not None and claim in claims:
                problems.append(f"expected no {claim} in the {_NAMES[token]}; it carries {_show(claims[claim])}")
        for token, seconds in self.lifetime.items():
            lifetime = verdict.lifetime(token)
            if lifetime is None:
                problems.append(f"expected the {_NAMES[token]} to live {seconds} s; {_not_issued(verdict, token)}")
            elif lifetime != seconds:
                problems.append(f"expected the {_NAMES[token]} to live {seconds} s; it lives {lifetime} s")
        if self.error is not None and verdict.error_description != self.error:
            got = repr(verdict.error_description) if verdict.error_description is not None else "no error"
            problems.append(f"expected server_error {self.error!r}; the requester gets {got}")
        if self.patch_dropped:
            if verdict.dropped is None:
                problems.append("expected Okta to drop the hook's patch; it did not")
            elif isinstance(self.patch_dropped, str) and self.patch_dropped not in verdict.dropped:
                problems.append(f"expected the patch dropped for {self.patch_dropped!r}; Okta says {verdict.dropped}")
        return problems


def _not_issued(verdict: Verdict, token: str) -> str:
    if verdict.error_description is not None:
        return "no token is issued (server_error)"
    return f"no {_NAMES[token]} is issued"


def _same(actual: Any, wanted: Any) -> bool:
    # JSON equality: 1 and true, or 1 and 1.0, are different claim values.
    return json.dumps(actual, sort_keys=True) == json.dumps(wanted, sort_keys=True)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def guide_cases() -> list[TokenCase]:
    """Okta's token inline hook guide: a user of its patients store (jessie.smith@example.com, patient 1235) gets
    `extPatientId` in the ID token; anyone else gets the tokens as minted (the guide's hook answers 204)."""
    return [
        TokenCase(
            "a patient gets extPatientId in the ID token",
            Expect.PATCHED,
            {"login": GUIDE_PATIENT},
            claims={IDENTITY: {"extPatientId": GUIDE_PATIENT_ID}},
        ),
        TokenCase(
            "anyone else gets the tokens as minted",
            Expect.UNCHANGED,
            {"login": "{uid}@example.com"},
            absent=((IDENTITY, "extPatientId"), (ACCESS, "extPatientId")),
        ),
    ]


def parse_case(name: str, expect: str, max_ms: float | None, entry: dict[str, Any]) -> TokenCase:
    """A token case from a cases-file entry whose shared keys are read; CaseProblem otherwise."""
    grant_type = entry.get("grant_type", AUTHORIZATION_CODE)
    if grant_type not in GRANT_TYPES:
        raise CaseProblem("grant_type", f"one of {', '.join(GRANT_TYPES)}")
    user = entry.get("user", {})
    if not isinstance(user, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in user.items()):
        raise CaseProblem("user", 'a mapping of profile members to texts, e.g. {login: "{uid}@example.com"}')
    if user and grant_type == CLIENT_CREDENTIALS:
        raise CaseProblem("user", "client credentials mint a token for the client alone: no user")
    scopes = entry.get("scopes")
    if scopes is not None and (
        not isinstance(scopes, list) or not scopes or not all(isinstance(s, str) and s.strip() for s in scopes)
    ):
        raise CaseProblem("scopes", "a list of scope names, e.g. [openid, profile]")
    client = _client(entry.get("client"))
    claims = {token: _claims(token, entry.get(token)) for token in TOKENS if entry.get(token) is not None}
    absent = _absent(entry.get("absent"))
    lifetime = _lifetimes(entry.get("lifetime"))
    if grant_type == CLIENT_CREDENTIALS:
        # No ID token is minted for client credentials (TOKREF, "Sample request": only `access` for them): an
        # expectation about it could never hold, or would hold whatever the hook did.
        about_identity = [
            key
            for key, says in (
                (IDENTITY, IDENTITY in claims),
                ("absent", any(token == IDENTITY for token, _ in absent)),
                ("lifetime", IDENTITY in lifetime),
            )
            if says
        ]
        if about_identity:
            raise CaseProblem(about_identity[0], "client credentials mint no ID token: expect only access claims")
    error = entry.get("error")
    if error is not None and not isinstance(error, str):
        raise CaseProblem("error", "the server_error's error_description, a text")
    if error is not None and expect != Expect.ERROR:
        raise CaseProblem("error", "only `expect: error` answers server_error")
    if (claims or lifetime) and expect in (Expect.ERROR, Expect.FAILURE):
        key = next(iter(claims)) if claims else "lifetime"
        raise CaseProblem(key, f"`expect: {expect}` issues no patched token: expect patched or unchanged")
    dropped = entry.get("patch_dropped", False)
    if not isinstance(dropped, bool | str) or dropped == "":
        raise CaseProblem("patch_dropped", "true, or a text the reason contains (e.g. reserved claim)")
    if dropped and expect != Expect.FAILURE:
        raise CaseProblem("patch_dropped", "a dropped patch is a failed hook operation: use `expect: failure`")
    return TokenCase(
        name=name,
        expect=expect,
        user=dict(user),
        grant_type=grant_type,
        scopes=tuple(scopes) if scopes is not None else None,
        client=client,
        claims=claims,
        absent=absent,
        lifetime=lifetime,
        error=error,
        patch_dropped=dropped,
        max_ms=max_ms,
    )


def _client(value: Any) -> TokenClient | None:
    if value is None:
        return None
    problem = "a mapping {id, name, type: PUBLIC or CONFIDENTIAL} (type optional)"
    if not isinstance(value, dict) or set(value) - {"id", "name", "type"}:
        raise CaseProblem("client", problem)
    client_id, name, kind = value.get("id"), value.get("name", "Client"), value.get("type", "CONFIDENTIAL")
    if not isinstance(client_id, str) or not client_id or not isinstance(name, str):
        raise CaseProblem("client", problem)
    if kind not in ("PUBLIC", "CONFIDENTIAL"):
        raise CaseProblem("client", problem)
    return TokenClient(client_id, name, kind)


def _claims(token: str, value: Any) -> dict[str, Any]:
    if value == {}:
        # An empty expectation would assert nothing and pass whatever the hook did: a false green.
        raise CaseProblem(token, f"empty: name the claims the {_NAMES[token]} must carry, or leave {token} out")
    if not isinstance(value, dict) or not all(isinstance(k, str) and k for k in value):
        raise CaseProblem(token, f"a mapping of the claims the {_NAMES[token]} must carry to their values")
    return dict(value)


def _absent(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    problem = "a list of token.claim, e.g. [identity.patientId, access.patientId]"
    if not isinstance(value, list) or not value:
        raise CaseProblem("absent", problem)
    pairs = []
    for item in value:
        token, dot, claim = item.partition(".") if isinstance(item, str) else ("", "", "")
        if token not in TOKENS or not dot or not claim:
            raise CaseProblem("absent", problem)
        pairs.append((token, claim))
    return tuple(pairs)


def _lifetimes(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    problem = "a mapping of identity and/or access to seconds, e.g. {access: 7200}"
    if not isinstance(value, dict) or not value or set(value) - set(TOKENS):
        raise CaseProblem("lifetime", problem)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values()):
        raise CaseProblem("lifetime", problem)
    return dict(value)
