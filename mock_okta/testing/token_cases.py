"""The team's token cases file (`type: token`) through an app's sign-in in the browser, as a pytest module any project
can run:

    pytest --pyargs mock_okta.testing.token_cases --okta-target mock|org --okta-cases token-cases.yaml

For every case: a user (the case's `user`, `{uid}` the run's tag) signs in to an OIDC web app on the org's hosted
page (the genuine widget; Gen2 and Gen3 on the mock), the app's authorization code (PKCE S256, `state`, `nonce`) is
exchanged at the custom authorization server's `/v1/token`, where the rule's token inline hook is called; client
credentials need no browser, a refresh signs in and refreshes once. The tokens the app received are checked with
PyJWT against the server's JWKS, issuer, audience, nonce and `at_hash` (`tokens.verified_claims`), and the case's
expectations (claims present, absent or equal, lifetimes, the `server_error` text, a dropped patch) are judged on
them by the case's own judge (`TokenCase.judge_issued`). The hook's call is proven as `okta_tokens` proves it: the
mock's journal, or on an org the System Log; a hook that was not called or whose call failed fails every case but
`expect: failure` (and that one fails when the call did not fail).

On the mock the hook under test is `--okta-hook-url` (default: the bundled sample's `/tokenHook`), attached to the
`default` server's rules. On an org (`OKTA_ORG_URL`, `OKTA_API_TOKEN`) it is the one `mock-okta org attach --type
token` set on a rule, checked by the preflight before any browser opens; the run's app and users are deleted
afterwards. Needs pytest-playwright.

Sources: okta-developer-docs `docs/reference/token-hook/index.md` (last full version: the error object becomes
`server_error` with the errorSummary; "Troubleshoot"), `docs/reference/api/oidc/index.md` (/authorize, /token).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from ..hook.cases import CasesError, load_cases
from ..hooktypes import REGISTRY, TOKEN
from ..hooktypes.token.cases import Expect, TokenCase
from ..hooktypes.token.contract import CLIENT_CREDENTIALS
from ..hooktypes.token.payloads import MintedToken
from ..hooktypes.token.verdict import Outcome, Verdict
from ..okta_org import STATE_FILE
from ..okta_org.client import OrgError
from ..org.settings import WidgetGeneration
from .pages import browser_sign_in
from .signup_cases import okta_target, shared_context, shared_tab, widget
from .targets import MockTarget, Target, mock_target
from .tokens import REDIRECT_URI, Issuer, OktaTokenError, OktaTokens, TokenIssuer

# The packaged fixtures this module runs on, found by pytest in the module's namespace (`--pyargs`).
__all__ = ["okta_target", "shared_context", "shared_tab", "widget"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "token_case" in metafunc.fixturenames:
        try:
            loaded = load_cases(metafunc.config.getoption("okta_cases"), REGISTRY, hook_type=TOKEN)
        except CasesError as exc:
            raise pytest.UsageError(str(exc)) from None
        cases = [case for case in loaded.cases if isinstance(case, TokenCase)]
        metafunc.parametrize("token_case", cases, ids=[case.name for case in cases])


@pytest.fixture(scope="module")
def token_target(okta_target: Target) -> Iterator[Target]:
    """An org of its own on the mock (its `default` server's rules and its users are this module's: the guide's
    patients are fixed logins other scenarios of the session sign in with too); the run's org otherwise."""
    if not isinstance(okta_target, MockTarget):
        yield okta_target
        return
    with ExitStack() as stack:
        hook_url = None if okta_target.is_sample else okta_target.token_hook_url
        yield mock_target(stack, hook_url, okta_target.hook_auth, hook_timeout=okta_target.hook_timeout)


@pytest.fixture(scope="module")
def token_issuer(token_target: Target, shared_context: BrowserContext) -> Iterator[Issuer]:
    """The module's issuer: on the mock, the token hook under test attached to the `default` server's rules; on an
    org, the rule `org attach --type token` set. Its app and users are the run's, tagged with the run tag."""
    sign_in = browser_sign_in(shared_context, REDIRECT_URI)
    if isinstance(token_target, MockTarget):
        api_token = token_target.org.settings.api_token
        auth = token_target.hook_auth
        issuer = TokenIssuer(token_target.base_url, api_token, token_target.token_hook_url, auth, sign_in=sign_in)
        try:
            yield issuer
        finally:
            issuer.close()
        return
    from .org_tokens import OrgTokenIssuer, token_place

    try:
        place = token_place(token_target.users, STATE_FILE)
    except OrgError as exc:
        pytest.fail(f"--okta-target org: {exc}", pytrace=False)
    org_issuer = OrgTokenIssuer(token_target.users, place, sign_in, run_tag=token_target.run_tag)
    try:
        yield org_issuer
    finally:
        org_issuer.close()


@pytest.fixture
def on_widget(token_target: Target, widget: str, token_case: TokenCase) -> Iterator[str]:
    """The mock's hosted page shows this widget generation (an org setting); a real org shows its admin's."""
    if token_case.grant_type == CLIENT_CREDENTIALS and widget == WidgetGeneration.GEN3:
        pytest.skip("client credentials open no sign-in page: the case runs once")
    if isinstance(token_target, MockTarget):
        token_target.org.settings.widget = WidgetGeneration(widget)
        yield widget
        token_target.org.settings.widget = WidgetGeneration.GEN2
    else:
        yield widget


def test_token_case_through_the_app_s_sign_in(
    token_case: TokenCase, token_issuer: Issuer, token_target: Target, on_widget: str
) -> None:
    if token_case.client is not None:
        pytest.skip("the case names its client; here the client is the run's app: `mock-okta verify` runs it")
    # `{uid}` is the same in the user the app signs in and in what the case expects of the tokens (`sub`...).
    case = token_case.with_uid(token_target.uid())
    user = dict(case.user) or None
    tokens: OktaTokens | None = None
    refused: OktaTokenError | None = None
    try:
        tokens = token_issuer(user=user, scopes=case.scopes, grant=case.grant_type, allow_hook_failure=True)  # type: ignore[arg-type]
    except OktaTokenError as exc:
        refused = exc
    problems = judge(case, tokens, refused)
    if problems:
        evidence = tokens.hook_call if tokens is not None else (refused.hook_call if refused else None)
        shown = json.dumps(evidence, indent=2, default=str) if evidence else "no hook call was found"
        raise AssertionError(f"case {case.name!r}:\n  " + "\n  ".join(problems) + f"\nthe hook's call:\n{shown}")
    reason = unjudged(case, tokens)
    if reason:
        pytest.skip(reason)


def judge(case: TokenCase, tokens: OktaTokens | None, refused: OktaTokenError | None) -> list[str]:
    """Every way what the app received differs from the case."""
    if refused is not None:
        if case.expect != Expect.ERROR or refused.error != "server_error":
            return [f"the app got {refused.error}: {refused.description}; the case expects {case.expect}"]
        return case.judge_issued(Verdict(Outcome.ERROR, error_description=refused.description))
    assert tokens is not None
    if case.expect == Expect.ERROR:
        return ["the app got tokens; the case expects server_error (the hook's error object)"]
    call = tokens.hook_call
    if call is None:
        return ["the token inline hook was not called while these tokens were minted"]
    failure = call.get("failure")
    dropped = call.get("patchDropped") or (failure if call.get("answered") else None)
    problems = []
    if case.expect == Expect.FAILURE:
        if failure is None and dropped is None:
            problems.append("the hook's call did not fail; the case expects failure")
    elif failure is not None or dropped is not None:
        problems.append(f"the hook's call failed ({dropped or failure}): Okta issued the tokens as minted")
    elif "outcome" in call and call["outcome"] != str(case.expect).upper():
        # The mock's journal tells a patch from none; an org's System Log does not (the claims do).
        problems.append(f"the hook's answer was {call['outcome']}; the case expects {case.expect}")
    issued = Verdict(
        Outcome.UNCHANGED if failure or dropped else Outcome.PATCHED,
        identity=_minted(tokens.id_token),
        access=_minted(tokens.access_token),
        dropped=dropped,
    )
    return problems + case.judge_issued(issued)


def unjudged(case: TokenCase, tokens: OktaTokens | None) -> str | None:
    """Why a case that passed `judge` proved nothing, or None. On an org the proof of the call is the System Log,
    whose `inline_hook.*` events say that the hook was called and did not fail, not whether its answer patched
    (README, "The token cases through an app's sign-in"); a case whose only expectation is `patched` or `unchanged`
    would pass for any hook that answered. Skipped rather than failed: the case holds on the mock and in `verify`,
    where the journal tells the two apart, and a red here would blame a hook that may be right."""
    if tokens is None or tokens.hook_call is None or "outcome" in tokens.hook_call:
        return None  # refused, not called (failed already), or the mock's journal, which says PATCHED or UNCHANGED
    if case.expect not in (Expect.PATCHED, Expect.UNCHANGED) or case.claims or case.absent or case.lifetime:
        return None
    return (
        f"case {case.name!r}: the hook was called and did not fail, but an org's System Log does not say whether "
        f"its answer patched the tokens, so `expect: {case.expect}` alone proves nothing here: add the claims that "
        "show it (identity:/access: claims present with their values, absent: claims not carried, or lifetime:); "
        "the mock and `mock-okta verify` judge the case as it is"
    )


def _minted(claims: dict[str, Any] | None) -> MintedToken | None:
    """A token as issued: its claims, and its lifetime (`exp` - `iat`, as the hook's patch sets it)."""
    if claims is None:
        return None
    return MintedToken(claims, int(claims["exp"]) - int(claims["iat"]))
