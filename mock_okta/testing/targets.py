"""Where the Sign Up scenarios run: a mock org on loopback (CI) or a real Okta developer org (before a release)."""

from __future__ import annotations

import json
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hook_under_test.running import serve_sample_hook

from ..hook.cases import new_run_tag, new_uid
from ..hook.settings import DEFAULT_TIMEOUT, CallSettings, Engine
from ..okta_org import STATE_FILE
from ..okta_org.client import OrgClient, OrgError, token_problem
from ..okta_org.readiness import CALLS, HookUnderTest, created_by_attach, findings
from ..okta_org.token_rule import TOKEN_STATE, attached_by_state
from ..okta_org.token_rule import findings as token_findings
from ..org import Org, OrgSettings
from ..org.okta_json import render_hook_call
from ..org.web import create_app
from ..org.web.hosted_page import widget_installed
from ..serving.thread import ServerThread
from .scripted_hook import ScriptedHook

# The hook under test gets Okta's deadline (3 s, or `--okta-hook-timeout`): a slower test deadline would fail a legal
# hook. Only this project's own misbehaving hooks (`use_scripted_hook`, which hang on purpose) get a shorter one, so a
# hang scenario costs 2 s, not 6 s (the 3 s deadline itself is proven in tests/hook/test_channel.py).
SCRIPTED_HOOK_TIMEOUT = 1.0
HOOK_EVENTS = 'eventType eq "inline_hook.response.processed" or eventType eq "inline_hook.executed"'
# Okta's System Log shows an event a few seconds after it happens; the scenarios wait this long at most.
LOG_WAIT_SECONDS = 20.0
# Local and Okta clocks differ a little: look for log events from this long before a case started.
CLOCK_SKEW = timedelta(seconds=60)


@dataclass
class _Target:
    users: OrgClient
    run_tag: str = field(default_factory=new_run_tag)
    count: int = 0
    engine: str = "ie"  # the org's engine: "ie" (IDX sign-up, Gen2/Gen3) or "classic" (v1 widget)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Every address this run signed up, and the case address templates they came from: what cleanup deletes.
    signed_up: list[str] = field(default_factory=list)
    templates: set[str] = field(default_factory=set)

    def email(self, domain: str) -> str:
        """A unique address that carries the run tag (so `mock-okta org cleanup` finds it)."""
        return f"{self.uid()}@{domain}"

    def uid(self) -> str:
        self.count += 1
        return new_uid(self.run_tag, self.count)

    def track(self, template: str, email: str) -> None:
        """Remember an address before it is signed up, so cleanup deletes its user whatever the case's outcome."""
        self.templates.add(template)
        self.signed_up.append(email)

    def log_events(self, since: datetime, filter: str) -> list[dict[str, Any]]:
        start = (since - CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return self.users.log_events(start, filter)

    def hook_failure(self, since: datetime, email: str) -> str | None:
        """Why Okta counted the hook call of this sign-up as failed (a timeout, a refused call, an invalid answer),
        or None when the hook answered: read from the System Log (`inline_hook.executed` and
        `inline_hook.response.processed` with outcome FAILURE). Okta's events name the hook, not the user, so on a
        real org the cases must not run in parallel for this to be exact."""
        events = self.log_events(since, HOOK_EVENTS)
        failed = [e for e in events if (e.get("outcome") or {}).get("result") == "FAILURE"]
        if not failed:
            return None
        outcome = failed[-1].get("outcome") or {}
        return str(outcome.get("reason") or failed[-1].get("eventType"))

    def wait_for_event(self, since: datetime, filter: str, wanted: str) -> dict[str, Any]:
        """The first System Log event matching `filter` since the case started, polling for a bounded time."""
        deadline = time.monotonic() + LOG_WAIT_SECONDS
        while True:
            events = self.log_events(since, filter)
            if events:
                return events[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"the System Log shows no {wanted} within {LOG_WAIT_SECONDS:g} s ({filter})")
            time.sleep(0.5)


@dataclass
class MockTarget(_Target):
    name = "mock"
    org: Org = field(default_factory=Org)
    base_url: str = ""
    hook_url: str = ""
    hook_auth: str | None = None
    is_sample: bool = True
    scripted_url: str = ""
    hook_timeout: float = DEFAULT_TIMEOUT
    # The token hook under test (`token_cases`): the sample's `/tokenHook`, or `--okta-hook-url` itself.
    token_hook_url: str = ""

    def sign_in_url(self, widget: str) -> str:
        """The hosted page for a widget generation, or ("classic") the Classic Engine page."""
        if widget == "classic":
            return f"{self.base_url}/?engine=classic"
        return f"{self.base_url}/?widget={widget}"

    def use_hook(self, url: str | None, auth_header: str | None = None) -> None:
        """Attach a hook to both sign-up paths the mock serves, the profile enrollment policy (Identity Engine) and
        self-service registration (Classic Engine); None: no hook at all."""
        if url is None:
            self.org.inline_hooks.detach()
            self.org.classic.update({"inlineHookId": None})
        else:
            hook = self.org.inline_hooks.create_and_attach("e2e hook", url, auth_header)
            self.org.classic.update({"inlineHookId": hook.id})

    def use_scripted_hook(self, behaviour: str) -> None:
        """One of this project's misbehaving hooks, under the short deadline of a deliberate hang."""
        self.use_deadline(SCRIPTED_HOOK_TIMEOUT)
        self.use_hook(f"{self.scripted_url}/{behaviour}")

    def use_hook_under_test(self) -> None:
        """The hook under test, under Okta's deadline (or the one `--okta-hook-timeout` chose)."""
        self.use_deadline(self.hook_timeout)
        self.use_hook(self.hook_url, self.hook_auth)

    def use_deadline(self, seconds: float) -> None:
        """The org's per-attempt deadline for hook calls from now on."""
        call = self.org.settings.call
        self.org.settings.call = CallSettings(seconds, call.max_retries, call.strict_https)

    def hook_calls(self) -> int:
        return len(self.org.store.hook_calls())

    def hook_failure(self, since: datetime, email: str) -> str | None:
        """Why the hook call of this sign-up failed, from the mock's journal (exact, also in parallel runs)."""
        for call in self.org.store.hook_calls():
            if (call.request_body.get("data") or {}).get("userProfile", {}).get("email") == email:
                return call.failure
        return None

    def explain(self, email: str) -> str:
        """The journal's exchange for this address: what the hook was sent and what it answered."""
        deadline = self.org.settings.call.timeout
        note = ""
        if deadline != DEFAULT_TIMEOUT:
            note = f"the mock org's deadline is {deadline:g} s per attempt (--okta-hook-timeout); Okta's is 3 s\n"
        for call in self.org.store.hook_calls():
            if (call.request_body.get("data") or {}).get("userProfile", {}).get("email") == email:
                return note + "the hook call, from the mock's journal:\n" + json.dumps(render_hook_call(call), indent=2)
        return note + f"the mock's journal has no hook call for {email}"

    def cleanup(self) -> None:
        """The mock's store is private to this run; nothing to clean."""


@dataclass
class OrgTarget(_Target):
    name = "org"
    base_url: str = ""
    is_sample: bool = False

    def sign_in_url(self, widget: str) -> str:
        return self.base_url + "/"

    def use_scripted_hook(self, behaviour: str) -> None:
        pytest.skip("needs control over the org's hook: runs against the mock only")

    def use_hook_under_test(self) -> None:
        """The org's policy carries the hook under test already (`mock-okta org attach`)."""

    def use_hook(self, url: str | None, auth_header: str | None = None) -> None:
        pytest.skip("needs control over the org's hook: runs against the mock only")

    def hook_calls(self) -> int:
        pytest.skip("the org's hook journal is not readable from here: runs against the mock only")

    def explain(self, email: str) -> str:
        """The org's System Log events for this address since the run started (`/api/v1/logs` filtered on the
        events' actor and targets), oldest first: what Okta did with the sign-up. The hook's own events
        (`inline_hook.*`) name the hook, not the user: they are listed when the case's time holds them."""
        quoted = email.replace("\\", "\\\\").replace('"', '\\"')
        wanted = f'target.alternateId eq "{quoted}" or actor.alternateId eq "{quoted}"'
        try:
            events = self.log_events(self.started, wanted) + self.log_events(self.started, HOOK_EVENTS)
        except OrgError as exc:
            return f"the org's System Log could not be read: {exc}"
        if not events:
            return f"the org's System Log has no event for {email} since the run started"
        events.sort(key=lambda event: str(event.get("published", "")))
        return f"the org's System Log for {email} (and the hook's calls) since the run started:\n" + "\n".join(
            _log_line(event) for event in events[-LOG_LINES:]
        )

    def cleanup(self) -> None:
        """Delete every user this run created (deactivate, then delete), whatever happened to the cases: each
        address it signed up, and every user whose address carries its run tag where the cases put `{uid}`."""
        found = {user["id"]: user for user in self.users.users_of_runs(self.run_tag, self.templates)}
        for email in self.signed_up:
            user = self.users.find_user_by_email(email)
            if user is not None:
                found.setdefault(user["id"], user)
        for user_id in found:
            self.users.delete_user(user_id)


Target = MockTarget | OrgTarget
# A failed case prints at most this many System Log events (the newest).
LOG_LINES = 30


def _log_line(event: dict[str, Any]) -> str:
    """`published eventType RESULT (reason): displayMessage [error_message]`, one event on one line."""
    outcome = event.get("outcome") or {}
    reason = f" ({outcome['reason']})" if outcome.get("reason") else ""
    debug = ((event.get("debugContext") or {}).get("debugData") or {}).get("error_message")
    extra = f" [{debug}]" if debug else ""
    return (
        f"  {event.get('published')} {event.get('eventType')} {outcome.get('result', '')}{reason}: "
        f"{event.get('displayMessage', '')}{extra}"
    )


@dataclass(frozen=True)
class Preflight:
    """What the org target's preflight found: why the org cannot be used (one line), or None; and which hook the
    org will call, for the report header."""

    problem: str | None
    calls: str | None = None


def preflight(
    url: str | None, token: str | None, hook_url: str | None = None, hook_type: str = "registration"
) -> Preflight:
    """Run before any browser opens, so nothing is created. The hook under test is `hook_url` (`--okta-hook-url`),
    else the one `mock-okta org attach` created here (its state file); when the org calls another, the run stops.
    A `token` run checks the rule its state file names (`org attach --type token`), else the `default` server's
    first policy's first rule: ACTIVE, and naming the hook under test (`org check --type token` without `execute`)."""
    if not url or not token:
        return Preflight("--okta-target org needs OKTA_ORG_URL and OKTA_API_TOKEN")
    bad_token = token_problem(token)
    if bad_token:
        return Preflight(bad_token)
    client = OrgClient(url, token.strip())
    if hook_type == TOKEN_STATE:
        saved = attached_by_state(STATE_FILE, client.base_url)
        hook_id = str(saved["createdHookId"]) if saved else None
    else:
        hook_id = created_by_attach(STATE_FILE, client.base_url)
    under_test = HookUnderTest(url=hook_url, hook_id=None if hook_url else hook_id)
    checked = hook_url is not None or hook_id is not None
    if hook_type == TOKEN_STATE:
        found = token_findings(
            client,
            server=saved["authorizationServerId"] if saved else None,
            policy=saved["policyId"] if saved else None,
            rule=saved["ruleId"] if saved else None,
            call_hook=False,
            under_test=under_test if checked else None,
        )
    else:
        found = findings(client, call_hook=False, under_test=under_test if checked else None)
    calls = None
    for fine, text in found:
        if not fine:
            return Preflight(text)
        if text.startswith(CALLS):
            calls = text.split(": attached")[0].removeprefix(CALLS)
    if calls is None:
        return Preflight(None)
    if hook_url is not None:
        return Preflight(None, f"the org calls {calls}: the hook under test (--okta-hook-url)")
    if hook_id is not None:
        return Preflight(None, f"the org calls {calls}: the hook `mock-okta org attach` created ({STATE_FILE})")
    return Preflight(None, f"the org calls {calls} (not compared: --okta-hook-url URL names the hook under test)")


def org_target(engine: str = "ie") -> OrgTarget:
    url, token = os.environ["OKTA_ORG_URL"], os.environ["OKTA_API_TOKEN"]
    return OrgTarget(users=OrgClient(url, token), base_url=url.rstrip("/"), engine=engine)


def mock_target(
    stack: ExitStack,
    hook_url: str | None,
    hook_auth: str | None,
    engine: str = "ie",
    hook_timeout: float = DEFAULT_TIMEOUT,
) -> MockTarget:
    if not widget_installed():
        pytest.skip("the Sign-In Widget is not installed: run 'mock-okta widget install' (or 'make widget')")
    is_sample = hook_url is None
    token_hook_url = hook_url or ""
    if hook_url is None:
        sample = stack.enter_context(serve_sample_hook())
        hook_url, hook_auth, token_hook_url = sample.hook_url, sample.auth_header, sample.token_hook_url
    scripted = stack.enter_context(ServerThread(ScriptedHook()))
    org = Org(settings=OrgSettings(call=CallSettings(timeout=hook_timeout), engine=Engine(engine)))
    server = stack.enter_context(ServerThread(create_app(org)))
    target = MockTarget(
        users=OrgClient(server.url, org.settings.api_token),
        org=org,
        base_url=server.url,
        hook_url=hook_url,
        hook_auth=hook_auth,
        is_sample=is_sample,
        scripted_url=scripted.url,
        engine=engine,
        hook_timeout=hook_timeout,
        token_hook_url=token_hook_url,
    )
    target.use_hook_under_test()
    return target
