"""`okta_tokens` on a real org (`--okta-target org`): tokens minted under the rule `mock-okta org attach --type token`
set, through the org's own doors, and proven to have gone through the hook by the org's System Log.

The run never attaches anything: the rule (its server, policy and rule from the state file `org attach --type
token` wrote, else the `default` server's first policy's first rule, as `org check --type token` picks it) already
names the hook under test, which the preflight checked before the run began. Per issuer (one per test) it creates an
OIDC web app labelled with the run tag and users whose address carries it (or the logins a test names, when the org
has no such user), assigns the users to the app, and, when the rule's policy names its clients rather than
`ALL_CLIENTS`, adds the app's client id to the policy for the run (docs `api/authorization-servers`, policy
`conditions.clients.include`: a policy applies only to the clients it names; without it no rule of this policy mints
for the app, and the hook under test is never called). `close()` removes the client id again, deletes the users and
deactivates and deletes the app, whatever happened; `mock-okta org cleanup` finds what a killed run left.

The authorization code flow goes through a browser (`pages.browser_sign_in`: the genuine widget on the org's hosted
page). A real org's page does not hand out the IDX `stateToken` in its HTML as the mock's does (its widget bootstraps
from an interaction handle), so the mock's HTTP-only sign-in would not be faithful there. Client credentials need
no browser.

The proof (token hook reference "Troubleshoot": a failed call or a refused patch leaves the tokens as minted, which
only Okta's log tells apart from the hook's answer): each minting's `app.oauth2.as.token.grant.access_token` event
of the run's app (event catalog `data/event-types.json`: "captures ... the client ID") bounds a window with the
previous one; the hook's `inline_hook.executed` (fired "when the execution is unsuccessful") and
`inline_hook.response.processed` ("fired even when the processing is unsuccessful") events in that window, which
name the hook as a target, are its calls for this minting: none is "not called", one with outcome FAILURE is "the
call failed" (the concept page: the log shows "errors when Okta can't apply an inline hook response"), and
`TokenHookFailed` follows exactly as on the mock. The hook events do not name the client: another app minting under
the same rule in the same window would be counted too, so run without `-n` and while no one else uses the rule.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..hook.cases import new_run_tag, new_uid
from ..okta_org.client import OrgClient, OrgError
from ..okta_org.token_rule import attached_by_state, find_rule
from .token_parts import new_password, user_profile, web_app_body
from .tokens import APP_LABEL, NOT_CALLED, Issuer, SignIn, TokenHookFailed, _App

GRANT_EVENT = "app.oauth2.as.token.grant.access_token"
HOOK_EVENTS = ("inline_hook.executed", "inline_hook.response.processed")
HOOK_FILTER = " or ".join(f'eventType eq "{event}"' for event in HOOK_EVENTS)
ALL_CLIENTS = "ALL_CLIENTS"
# Okta's System Log shows an event a few seconds after it happens: the grant of a minting is awaited this long.
LOG_WAIT_SECONDS = 20.0
# Once the minting's grant is in the log, the hook's events (written before it) are awaited this much longer: they
# may be indexed a little later. Only a hook that was not called waits it out.
LOG_SETTLE_SECONDS = 5.0
LOG_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class TokenPlace:
    """The rule a token hook run mints under, and the hook it names."""

    server_id: str
    policy_id: str
    rule_id: str
    hook_id: str | None
    audience: str


def token_place(client: OrgClient, state_file: str | Path) -> TokenPlace:
    """The rule of the state file's token attach for this org, else the `default` server's first policy's first
    rule (as `org check --type token` picks it). One-line OrgError when it does not exist."""
    saved = attached_by_state(state_file, client.base_url)
    where = (saved["authorizationServerId"], saved["policyId"], saved["ruleId"]) if saved else (None, None, None)
    found = find_rule(client, *where)
    audiences = found.server.get("audiences") or []
    return TokenPlace(
        found.server["id"],
        found.policy["id"],
        found.rule["id"],
        found.inline_hook_id(),
        str(audiences[0]) if audiences else "",
    )


@dataclass(frozen=True)
class _Mark:
    """Before a minting: the org's time (from its `Date` header, a second early: it has whole seconds) and the
    published time of the app's last grant seen; the minting's events come after both."""

    after: datetime
    last_grant: datetime | None


@dataclass
class _RunObjects:
    apps: dict[str, tuple[_App, dict[str, Any]]] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)  # ids of users this run created
    policy_clients: list[str] = field(default_factory=list)  # client ids added to the rule's policy


class OrgTokenIssuer(Issuer):
    """`okta_tokens` on an org: `issuer(user=..., grant=...)` → `OktaTokens` (`.hook_call`: the System Log's
    evidence, `{"source": "System Log", "events": [...], "failure": None | why}`)."""

    def __init__(
        self, client: OrgClient, place: TokenPlace, sign_in: SignIn | None, *, run_tag: str | None = None
    ) -> None:
        super().__init__(client.base_url, sign_in)
        self.client = client
        self.place = place
        self.server = place.server_id
        self.audience = place.audience
        self.hook_id = place.hook_id
        self.run_tag = run_tag or new_run_tag()
        self._count = 0
        self._made = _RunObjects()
        self._grants: dict[str, datetime] = {}  # app id → published time of its last grant seen
        self._user_ids: dict[str, str] = {}  # login → user id
        self._assigned: set[tuple[str, str]] = set()

    def _new_login(self) -> str:
        self._count += 1
        return f"{new_uid(self.run_tag, self._count)}@example.com"

    # --- the run's objects ----------------------------------------------------------------------------------------

    def _app(self, label: str) -> _App:
        found = self._made.apps.get(label)
        if found is not None:
            return found[0]
        # The label starts with the run tag: `mock-okta org cleanup` finds a killed run's app by it.
        tagged = f"{self.run_tag} {label if label != APP_LABEL else 'okta_tokens'}"
        created = self.client.json("POST", "/api/v1/apps", json=web_app_body(tagged, self.redirect_uri))
        oauth = created["credentials"]["oauthClient"]
        app = _App(oauth["client_id"], oauth["client_secret"], created["id"])
        self._made.apps[label] = (app, created)
        self._include_in_policy(app.client_id)
        self._assign()
        return app

    def _include_in_policy(self, client_id: str) -> None:
        """The rule's policy applies to the app: `ALL_CLIENTS`, or the app's client id added for this run."""
        path = f"/api/v1/authorizationServers/{self.place.server_id}/policies/{self.place.policy_id}"
        policy = self.client.json("GET", path)
        include = policy.setdefault("conditions", {}).setdefault("clients", {}).setdefault("include", [])
        if ALL_CLIENTS in include or client_id in include:
            return
        include.append(client_id)
        self.client.json("PUT", path, json=_writable(policy))
        self._made.policy_clients.append(client_id)

    def _user(self, user: str | Mapping[str, Any], password: str | None) -> str:
        login, profile = user_profile(user)
        if login in self._passwords:
            return login
        found = self.client.find_user_by_email(login)
        if found is not None and found["profile"].get("login", "").lower() != login.lower():
            found = None
        if found is not None:
            if password is None:
                raise ValueError(f"user {login!r} exists in the org and this run did not create it: pass its password=")
            user_id = str(found["id"])
        else:
            password = password or new_password()
            body = {"profile": profile, "credentials": {"password": {"value": password}}}
            created = self.client.json("POST", "/api/v1/users", params={"activate": "true"}, json=body)
            user_id = str(created["id"])
            self._made.users.append(user_id)
        self._passwords[login] = password
        self._user_ids[login] = user_id
        self._assign()
        return login

    def _assign(self) -> None:
        """Every user of the run assigned to every app of the run (docs api/apps, "Assign user to application for
        SSO"): Okta signs a user in to an app only when assigned."""
        for app, _ in self._made.apps.values():
            for user_id in self._user_ids.values():
                if (app.app_id, user_id) not in self._assigned:
                    self.client.json("POST", f"/api/v1/apps/{app.app_id}/users", json={"id": user_id})
                    self._assigned.add((app.app_id, user_id))

    def _ensure_scopes(self, names: Sequence[str]) -> None:
        """The org's scopes are its admin's: a missing one is refused in one line, never created."""
        path = f"/api/v1/authorizationServers/{self.place.server_id}/scopes"
        known = {scope["name"] for scope in self.client.json("GET", path)}
        missing = [name for name in names if name not in known]
        if missing:
            raise ValueError(
                f"the authorization server {self.place.server_id} has no scope {', '.join(missing)}: add it, or "
                "pass scopes= that it has"
            )

    def close(self) -> None:
        """Undo what the run created, whatever happened: the policy's client ids, the users, the apps."""
        problems: list[str] = []
        for step in (self._restore_policy, self._delete_users, self._delete_apps):
            try:
                step()
            except OrgError as exc:
                problems.append(str(exc))
        if problems:
            raise OrgError("okta_tokens cleanup: " + "; ".join(problems))

    def _restore_policy(self) -> None:
        if not self._made.policy_clients:
            return
        path = f"/api/v1/authorizationServers/{self.place.server_id}/policies/{self.place.policy_id}"
        policy = self.client.json("GET", path)
        include = policy["conditions"]["clients"]["include"]
        policy["conditions"]["clients"]["include"] = [c for c in include if c not in self._made.policy_clients]
        self.client.json("PUT", path, json=_writable(policy))
        self._made.policy_clients.clear()

    def _delete_users(self) -> None:
        while self._made.users:
            self.client.delete_user(self._made.users.pop())

    def _delete_apps(self) -> None:
        for label, (_, created) in list(self._made.apps.items()):
            self.client.delete_app(created["id"])
            del self._made.apps[label]

    # --- the System Log's evidence --------------------------------------------------------------------------------

    def _org_now(self, client: _App) -> datetime:
        response = self.client.request("GET", f"/api/v1/apps/{client.app_id}")
        date = response.headers.get("Date")
        return parsedate_to_datetime(date).astimezone(UTC) if date else datetime.now(UTC)

    def _mark(self, client: _App) -> _Mark:
        return _Mark(self._org_now(client) - timedelta(seconds=1), self._grants.get(client.app_id))

    def _events(self, since: datetime, filter: str) -> list[dict[str, Any]]:
        return self.client.log_events(since.strftime("%Y-%m-%dT%H:%M:%S.000Z"), filter)

    def _hook_events(self, lower: datetime, upper: datetime | None) -> list[dict[str, Any]]:
        return [
            event
            for event in self._events(lower, HOOK_FILTER)
            if _names(event, self.hook_id)
            and lower <= _published(event)
            and (upper is None or _published(event) <= upper)
        ]

    def _calls_since(self, client: _App, mark: Any) -> list[dict[str, Any]]:
        events = self._hook_events(mark.after, None)
        return [_evidence(events)] if events else []

    def _grant_after(self, client: _App, mark: _Mark) -> datetime:
        """The published time of the app's first grant after `mark`, polled for at most LOG_WAIT_SECONDS."""
        deadline = time.monotonic() + LOG_WAIT_SECONDS
        while True:
            for event in self._events(mark.after, f'eventType eq "{GRANT_EVENT}"'):
                published = _published(event)
                names_app = _names(event, client.app_id) or _names(event, client.client_id)
                if names_app and (mark.last_grant is None or published > mark.last_grant):
                    self._grants[client.app_id] = published
                    return published
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"okta_tokens: the System Log shows no {GRANT_EVENT} for the app within {LOG_WAIT_SECONDS:g} s"
                )
            time.sleep(LOG_POLL_SECONDS)

    def _require_hook_call(self, client: _App, before: Any, allow_failure: bool) -> dict[str, Any] | None:
        upper = self._grant_after(client, before)
        lower = max(before.after, before.last_grant or before.after)
        settle = time.monotonic() + LOG_SETTLE_SECONDS
        events = self._hook_events(lower, upper)
        while not events and time.monotonic() < settle:
            time.sleep(LOG_POLL_SECONDS)
            events = self._hook_events(lower, upper)
        if not events:
            if allow_failure:
                return None
            raise TokenHookFailed(f"{NOT_CALLED} (the org's System Log has no inline_hook event for it)")
        evidence = _evidence(events)
        if evidence["failure"] and not allow_failure:
            lines = "\n".join(_line(event) for event in events)
            raise TokenHookFailed(
                f"the token inline hook was called, but the call failed ({evidence['failure']}): Okta issued the "
                f"tokens as minted. The org's System Log:\n{lines}"
            )
        return evidence


def _writable(item: dict[str, Any]) -> dict[str, Any]:
    """An object as a PUT takes it back: without its read-only members."""
    return {k: v for k, v in item.items() if k not in ("_links", "created", "lastUpdated")}


def _published(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(event.get("published", "")).replace("Z", "+00:00"))


def _names(event: dict[str, Any], object_id: str | None) -> bool:
    """Whether one of the event's targets is this object (by its id)."""
    return object_id is not None and any(
        isinstance(t, dict) and t.get("id") == object_id for t in event.get("target") or []
    )


def _evidence(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The hook's call as the System Log tells it: its events, and why it failed (an `inline_hook.executed`, or an
    `inline_hook.response.processed` with outcome FAILURE: Okta read the answer and could not apply it)."""
    failed = [e for e in events if (e.get("outcome") or {}).get("result") == "FAILURE"]
    failure = None
    answered = False
    if failed:
        outcome = failed[-1].get("outcome") or {}
        debug = ((failed[-1].get("debugContext") or {}).get("debugData") or {}).get("error_message")
        failure = str(outcome.get("reason") or debug or failed[-1].get("eventType"))
        answered = failed[-1].get("eventType") == "inline_hook.response.processed"
        if debug and debug not in failure:
            failure = f"{failure}: {debug}"
    return {"source": "System Log", "events": events, "failure": failure, "answered": answered}


def _line(event: dict[str, Any]) -> str:
    outcome = event.get("outcome") or {}
    debug = ((event.get("debugContext") or {}).get("debugData") or {}).get("error_message")
    return f"  {event.get('published')} {event.get('eventType')} {outcome.get('result', '')}" + (
        f" [{debug}]" if debug else ""
    )
