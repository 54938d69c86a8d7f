"""Where the Sign Up scenarios run: the local mock org (CI) or a real Okta developer org (before a release)."""

from __future__ import annotations

import os
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest

from mock_okta.hook.settings import CallSettings
from mock_okta.org import Org, OrgSettings
from mock_okta.org.web import create_app
from mock_okta.org.web.hosted_page import widget_installed
from mock_okta.testing.org_client import OrgClient
from mock_okta.testing.sample_hook import serve_sample_hook
from mock_okta.testing.scripted_hook import ScriptedHook
from mock_okta.testing.server_thread import ServerThread

# Okta's deadline is 3 s; the browser scenarios use 1 s so a hanging hook costs 2 s, not 6 s (the 3 s default
# itself is proven in tests/hook/test_channel.py).
E2E_HOOK_TIMEOUT = 1.0


@dataclass
class MockTarget:
    name = "mock"
    org: Org
    base_url: str
    sample_hook_url: str
    sample_hook_auth: str
    scripted_url: str
    users: OrgClient

    def sign_in_url(self, widget: str) -> str:
        return f"{self.base_url}/?widget={widget}"

    def use_hook(self, url: str | None, auth_header: str | None = None) -> None:
        """Attach a hook to the profile enrollment policy (None: no hook at all)."""
        if url is None:
            self.org.inline_hooks.detach()
        else:
            self.org.inline_hooks.create_and_attach("e2e hook", url, auth_header)

    def use_scripted_hook(self, behaviour: str) -> None:
        self.use_hook(f"{self.scripted_url}/{behaviour}")

    def use_sample_hook(self) -> None:
        self.use_hook(self.sample_hook_url, self.sample_hook_auth)

    def hook_calls(self) -> int:
        return len(self.org.store.hook_calls())

    def email(self, domain: str) -> str:
        return f"e2e+{uuid.uuid4().hex[:12]}@{domain}"

    def cleanup(self) -> None:
        """The mock's store is private to this run; nothing to clean."""


@dataclass
class OrgTarget:
    name = "org"
    base_url: str
    users: OrgClient
    created: list[str] = field(default_factory=list)

    def sign_in_url(self, widget: str) -> str:
        return self.base_url + "/"

    def use_scripted_hook(self, behaviour: str) -> None:
        pytest.skip("needs control over the org's hook: runs against the mock only")

    def use_sample_hook(self) -> None:
        """The org's policy carries the hook under test already."""

    def use_hook(self, url: str | None, auth_header: str | None = None) -> None:
        pytest.skip("needs control over the org's hook: runs against the mock only")

    def hook_calls(self) -> int:
        pytest.skip("the org's hook journal is not readable from here: runs against the mock only")

    def email(self, domain: str) -> str:
        address = f"e2e+{uuid.uuid4().hex[:12]}@{domain}"
        self.created.append(address)
        return address

    def cleanup(self) -> None:
        for address in self.created:
            user = self.users.find_user_by_email(address)
            if user is not None:
                self.users.delete_user(user["id"])


Target = MockTarget | OrgTarget


def org_target() -> OrgTarget:
    url, token = os.environ.get("OKTA_ORG_URL"), os.environ.get("OKTA_API_TOKEN")
    if not url or not token:
        pytest.skip("--okta-target org needs OKTA_ORG_URL and OKTA_API_TOKEN")
    return OrgTarget(url.rstrip("/"), OrgClient(url, token))


def mock_target(stack: ExitStack) -> MockTarget:
    if not widget_installed():
        pytest.skip("the Sign-In Widget is not installed: run 'make widget'")
    sample = stack.enter_context(serve_sample_hook())
    scripted = stack.enter_context(ServerThread(ScriptedHook()))
    org = Org(settings=OrgSettings(call=CallSettings(timeout=E2E_HOOK_TIMEOUT)))
    server = stack.enter_context(ServerThread(create_app(org)))
    target = MockTarget(
        org=org,
        base_url=server.url,
        sample_hook_url=sample.hook_url,
        sample_hook_auth=sample.auth_header,
        scripted_url=scripted.url,
        users=OrgClient(server.url, org.settings.api_token),
    )
    target.use_sample_hook()
    return target
