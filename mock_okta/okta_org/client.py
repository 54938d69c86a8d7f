"""A small client of Okta's Management API over `requests`: what pre-release verification needs from a real org
(users, inline hooks, the profile enrollment policy, custom authorization servers and their access policy rules, OIDC
apps, the System Log). The same client talks to the mock. Methods added for the token hook's path are named after the
spec's operationIds, as okta-sdk-python names them (`listAuthorizationServers`: `list_authorization_servers`).

Errors are Okta's (errorCode, errorSummary) turned into one-line `OrgError`s; 429 waits for `X-Rate-Limit-Reset`
(bounded), a 5xx or a dropped connection is retried once, as Okta's SDKs do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

import requests

MAX_RATE_LIMIT_WAIT = 60.0
REGISTRATION_HOOK = "com.okta.user.pre-registration"
TOKEN_HOOK = "com.okta.oauth2.tokens.transform"
UID = "{uid}"


def uid_problem(email_template: str) -> str | None:
    """Why the users a case's address creates could escape cleanup, or None. Cleanup finds a run's users by a prefix
    search (Okta's user search has no "contains"): the text before `{uid}` plus the run tag, so the address needs
    `{uid}` once (without it every run signs up the same address and no tag marks the user as a test user's)."""
    if email_template.count(UID) != 1:
        found = "has no" if UID not in email_template else "has more than one"
        return (
            f"the email {email_template!r} {found} {UID}: every address a run signs up must carry it once, so "
            "the run and `mock-okta org cleanup` can find and delete the user"
        )
    return None


def token_problem(api_token: str) -> str | None:
    """Why an API token cannot be right, or None: empty, or pasted with its scheme (`SSWS 00a...`, as an
    Authorization header shows it; Okta's header is `SSWS {token}`, and the client adds the scheme itself)."""
    if not api_token.strip():
        return "--api-token (or OKTA_API_TOKEN) is empty"
    if api_token.strip().upper().startswith("SSWS "):
        return (
            "the API token starts with 'SSWS ': give the token alone (--api-token or OKTA_API_TOKEN), "
            "mock-okta sends 'Authorization: SSWS <token>' itself"
        )
    return None


def cleanup_prefixes(run_tag: str, email_templates: Iterable[str] = ()) -> set[str]:
    """The email prefixes a run's users start with: the run tag itself (`{uid}` first, the default), and the text
    before `{uid}` followed by the run tag for every case's address template."""
    prefixes = {run_tag}
    for template in email_templates:
        if uid_problem(template) is None:
            prefixes.add(template.split(UID)[0] + run_tag)
    return prefixes


class OrgError(RuntimeError):
    """One line a person can act on; `status` and `code` are Okta's when it answered."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class OrgClient:
    def __init__(
        self,
        base_url: str,
        api_token: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Authorization": f"SSWS {api_token}", "Accept": "application/json", "User-Agent": "mock-okta"}
        )
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock

    # -- transport -----------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call; 404 is returned to the caller, every other error raises OrgError."""
        url = path if path.startswith("http") else self.base_url + path
        retried_server_error = False
        rate_limited = 0
        while True:
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise OrgError(f"TLS failed for {self.base_url}: {_first_line(exc)}") from None
            except requests.exceptions.ConnectionError as exc:
                if not retried_server_error:
                    retried_server_error = True
                    continue
                raise OrgError(f"cannot reach {self.base_url}: {_connection_reason(exc)}") from None
            except requests.exceptions.RequestException as exc:
                raise OrgError(f"{method} {path}: {_first_line(exc)}") from None
            if response.status_code == 429 and rate_limited < 3:
                rate_limited += 1
                self._sleep(self._rate_limit_wait(response))
                continue
            if response.status_code >= 500 and not retried_server_error:
                retried_server_error = True
                self._sleep(1.0)
                continue
            if response.status_code >= 400 and response.status_code != 404:
                raise _error(method, path, response)
            return response

    def _rate_limit_wait(self, response: requests.Response) -> float:
        reset = response.headers.get("X-Rate-Limit-Reset", "")
        wait = float(reset) - self._clock() + 1 if reset.isascii() and reset.isdigit() else 1.0
        return min(max(wait, 0.0), MAX_RATE_LIMIT_WAIT)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code == 404:
            raise OrgError(f"{method} {path}: not found", 404, _code(response))
        return response.json() if response.content else None

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a listing, following Okta's `Link: <...>; rel="next"`. An empty page ends it: an
        open-ended System Log query always has a next link, for polling (System Log API, "Polling requests")."""
        url: str | None = path
        while url:
            response = self.request("GET", url, params=params)
            if response.status_code == 404:
                return
            page = response.json()
            if not page:
                return
            yield from page
            url, params = response.links.get("next", {}).get("url"), None

    # -- users -----------------------------------------------------------------------------------------------------
    def find_user_by_email(self, email: str) -> dict[str, Any] | None:
        escaped = email.replace("\\", "\\\\").replace('"', '\\"')
        users = self.json("GET", "/api/v1/users", params={"search": f'profile.email eq "{escaped}"'})
        return users[0] if users else None

    def users_with_email_prefix(self, prefix: str) -> list[dict[str, Any]]:
        escaped = prefix.replace("\\", "\\\\").replace('"', '\\"')
        return list(self.pages("/api/v1/users", {"search": f'profile.email sw "{escaped}"'}))

    def users_of_runs(self, run_tag: str, email_templates: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The users runs tagged `run_tag` created, wherever `{uid}` sits in their cases' addresses: Okta's user
        search has `sw` but no "contains" (core-okta-api: `co` is the System Log's only), so each address template
        gives the prefix its users start with (`slow.{uid}@acme.test`: `slow.<run tag>`)."""
        found: dict[str, dict[str, Any]] = {}
        for prefix in sorted(cleanup_prefixes(run_tag, email_templates)):
            for user in self.users_with_email_prefix(prefix):
                found.setdefault(user["id"], user)
        return list(found.values())

    def delete_user(self, user_id: str) -> None:
        """Okta deletes a user in two steps: deactivate, then delete."""
        self.request("POST", f"/api/v1/users/{user_id}/lifecycle/deactivate")
        self.request("DELETE", f"/api/v1/users/{user_id}")

    def mailbox(self, to: str) -> list[dict[str, Any]]:
        """The emails a mock org sent to an address, oldest first (`GET /_mock/mailbox`: the mock's, not Okta's)."""
        messages: list[dict[str, Any]] = self.json("GET", "/_mock/mailbox", params={"to": to})
        return messages

    # -- OIDC apps ------------------------------------------------------------------------------------------------
    def apps_of_runs(self, run_tag: str) -> list[dict[str, Any]]:
        """The apps runs tagged `run_tag` created: their label starts with the tag. The Apps API's `q` matches the
        start of an app's `name` or `label` (spec listApplications `q`), so the label is checked again here."""
        apps = self.pages("/api/v1/apps", {"q": run_tag})
        return [app for app in apps if str(app.get("label", "")).lower().startswith(run_tag.lower())]

    def delete_app(self, app_id: str) -> None:
        """Okta deletes only an INACTIVE app (spec deleteApplication: "Deletes an inactive application"): deactivate,
        then delete."""
        self.request("POST", f"/api/v1/apps/{app_id}/lifecycle/deactivate")
        self.request("DELETE", f"/api/v1/apps/{app_id}")

    # -- custom authorization servers -----------------------------------------------------------------------------
    def list_authorization_servers(self, q: str | None = None) -> list[dict[str, Any]]:
        """Every custom authorization server, or those whose name or audience matches `q` (spec
        listAuthorizationServers)."""
        return list(self.pages("/api/v1/authorizationServers", {"q": q} if q else None))

    def get_authorization_server(self, server_id: str) -> dict[str, Any] | None:
        response = self.request("GET", f"/api/v1/authorizationServers/{quote(server_id, safe='')}")
        return None if response.status_code == 404 else response.json()

    def list_authorization_server_policies(self, server_id: str) -> list[dict[str, Any]]:
        policies: list[dict[str, Any]] = self.json("GET", f"/api/v1/authorizationServers/{server_id}/policies")
        return policies

    def list_authorization_server_policy_rules(self, server_id: str, policy_id: str) -> list[dict[str, Any]]:
        path = f"/api/v1/authorizationServers/{server_id}/policies/{policy_id}/rules"
        rules: list[dict[str, Any]] = self.json("GET", path)
        return rules

    def get_authorization_server_policy_rule(
        self, server_id: str, policy_id: str, rule_id: str
    ) -> dict[str, Any] | None:
        response = self.request("GET", f"/api/v1/authorizationServers/{server_id}/policies/{policy_id}/rules/{rule_id}")
        return None if response.status_code == 404 else response.json()

    def replace_authorization_server_policy_rule(
        self, server_id: str, policy_id: str, rule: dict[str, Any]
    ) -> dict[str, Any]:
        """PUT the whole rule (spec replaceAuthorizationServerPolicyRule takes an AuthorizationServerPolicyRuleRequest:
        what a GET answers, less its read-only members)."""
        body = {k: v for k, v in rule.items() if k not in ("_links", "created", "lastUpdated")}
        path = f"/api/v1/authorizationServers/{server_id}/policies/{policy_id}/rules/{rule['id']}"
        replaced: dict[str, Any] = self.json("PUT", path, json=body)
        return replaced

    def replace_authorization_server_policy(self, server_id: str, policy: dict[str, Any]) -> dict[str, Any]:
        """PUT the whole policy (spec replaceAuthorizationServerPolicy: what a GET answers, less its read-only
        members)."""
        body = {k: v for k, v in policy.items() if k not in ("_links", "created", "lastUpdated")}
        replaced: dict[str, Any] = self.json(
            "PUT", f"/api/v1/authorizationServers/{server_id}/policies/{policy['id']}", json=body
        )
        return replaced

    def remove_policy_clients(self, client_ids: Iterable[str]) -> list[str]:
        """Take these client ids out of every authorization server policy's `conditions.clients.include` that names
        them (docs api/authorization-servers, "Condition properties": the clients a policy applies to); the places
        changed, as "policy 'P' of authorization server 'S'". Nothing else of a policy changes."""
        gone = set(client_ids)
        changed: list[str] = []
        if not gone:
            return changed
        for server in self.list_authorization_servers():
            for policy in self.list_authorization_server_policies(server["id"]):
                clients = ((policy.get("conditions") or {}).get("clients") or {}).get("include") or []
                kept = [client for client in clients if client not in gone]
                if len(kept) != len(clients):
                    policy["conditions"]["clients"]["include"] = kept
                    self.replace_authorization_server_policy(server["id"], policy)
                    changed.append(f"policy {policy.get('name')!r} of authorization server {server.get('name')!r}")
        return changed

    # -- inline hooks ---------------------------------------------------------------------------------------------
    def inline_hooks(self, hook_type: str | None = REGISTRATION_HOOK) -> list[dict[str, Any]]:
        """The org's inline hooks of `hook_type` (None: of every type)."""
        params = {"type": hook_type} if hook_type else None
        hooks: list[dict[str, Any]] = self.json("GET", "/api/v1/inlineHooks", params=params)
        return hooks

    def inline_hook(self, hook_id: str) -> dict[str, Any] | None:
        response = self.request("GET", f"/api/v1/inlineHooks/{hook_id}")
        return None if response.status_code == 404 else response.json()

    def create_inline_hook(
        self,
        name: str,
        uri: str,
        auth_header: tuple[str, str] | None,
        *,
        oauth: dict[str, str] | None = None,
        hook_type: str = REGISTRATION_HOOK,
    ) -> dict[str, Any]:
        """An inline hook of `hook_type` (a registration hook unless told): an HTTP channel with the authScheme
        header, or (`oauth`: the channel config's authType, clientId, tokenUrl, clientSecret or hookKeyId, scope) an
        OAUTH channel (spec InlineHookChannel; a token hook as the spec's InlineHookMgmtCreateHTTPRequest)."""
        config: dict[str, Any] = {"uri": uri, "method": "POST", "headers": []}
        if auth_header:
            config["authScheme"] = {"type": "HEADER", "key": auth_header[0], "value": auth_header[1]}
        config |= oauth or {}
        body = {
            "name": name,
            "type": hook_type,
            "version": "1.0.0",
            "channel": {"type": "OAUTH" if oauth else "HTTP", "version": "1.0.0", "config": config},
        }
        created: dict[str, Any] = self.json("POST", "/api/v1/inlineHooks", json=body)
        return created

    def remove_inline_hook(self, hook_id: str) -> None:
        """Okta deletes only an INACTIVE hook: deactivate, then delete."""
        self.request("POST", f"/api/v1/inlineHooks/{hook_id}/lifecycle/deactivate")
        self.request("DELETE", f"/api/v1/inlineHooks/{hook_id}")

    def execute_inline_hook(self, hook_id: str, request: dict[str, Any]) -> requests.Response:
        """`execute`: 200 with the hook's answer; Okta's 400 (E0000134/E0000137) is returned, not raised."""
        url = f"{self.base_url}/api/v1/inlineHooks/{hook_id}/execute"
        try:
            return self.session.request("POST", url, json=request, timeout=self.timeout)
        except requests.exceptions.RequestException as exc:
            raise OrgError(f"POST /api/v1/inlineHooks/{hook_id}/execute: {_first_line(exc)}") from None

    # -- profile enrollment policy --------------------------------------------------------------------------------
    def profile_enrollment_rule(self) -> tuple[str, dict[str, Any]]:
        """(policy id, its catch-all rule) of the org's profile enrollment policy: the one the Sign Up page uses."""
        policies = self.json("GET", "/api/v1/policies", params={"type": "PROFILE_ENROLLMENT"})
        if not policies:
            raise OrgError("the org has no profile enrollment policy (Security > User Profile Policies)")
        policy = next((p for p in policies if p.get("system")), policies[0])
        rules = self.json("GET", f"/api/v1/policies/{policy['id']}/rules")
        if not rules:
            raise OrgError(f"the profile enrollment policy {policy['name']!r} has no rule")
        rule = next((r for r in rules if r.get("system")), rules[-1])
        return policy["id"], rule

    def replace_rule(self, policy_id: str, rule: dict[str, Any]) -> dict[str, Any]:
        body = {k: v for k, v in rule.items() if k not in ("_links", "created", "lastUpdated")}
        replaced: dict[str, Any] = self.json("PUT", f"/api/v1/policies/{policy_id}/rules/{rule['id']}", json=body)
        return replaced

    # -- System Log -----------------------------------------------------------------------------------------------
    def log_events(self, since: str, filter: str | None = None) -> list[dict[str, Any]]:
        params = {"since": since, "sortOrder": "ASCENDING", "limit": "100"}
        if filter:
            params["filter"] = filter
        return list(self.pages("/api/v1/logs", params))


def _code(response: requests.Response) -> str | None:
    try:
        code = response.json().get("errorCode")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) else None


def _error(method: str, path: str, response: requests.Response) -> OrgError:
    status, code = response.status_code, _code(response)
    try:
        summary = str(response.json().get("errorSummary") or "")
    except (ValueError, AttributeError):
        summary = ""
    if status == 401:
        return OrgError("the API token was refused (E0000011): check OKTA_API_TOKEN", status, code)
    if status == 403:
        return OrgError(
            f"{method} {path}: the token lacks a permission ({code or 403}): use a Super Admin's token", status, code
        )
    if status == 429:
        return OrgError(f"{method} {path}: rate limited (429) after waiting for X-Rate-Limit-Reset", status, code)
    return OrgError(
        f"{method} {path}: HTTP {status}{f' {code}' if code else ''}: {summary or response.reason}", status, code
    )


def _connection_reason(exc: BaseException) -> str:
    text = str(exc)
    for marker, reason in (
        ("Failed to resolve", "the host name does not resolve (DNS): check the org URL"),
        ("Name or service not known", "the host name does not resolve (DNS): check the org URL"),
        ("Connection refused", "connection refused"),
        ("timed out", "timed out"),
    ):
        if marker in text:
            return reason
    return _first_line(exc)[:200]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
