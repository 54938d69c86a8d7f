"""The token inline hook while a custom authorization server mints: the rule's hook is sent Okta's request for
what is being minted (`hooktypes.token.build_request`) through the shared channel (`InlineHooks.call_as`: its
auth, deadline, no retry for this type, size cap, journal and System Log), and the tokens are issued as the
verdict's `apply` says: patched, as minted (a refused patch, a timeout or a failed call: the token hook reference,
"Troubleshoot"), or not at all, `server_error` with the hook's `errorSummary` (or Okta's default sentence)."""

from __future__ import annotations

from datetime import UTC, datetime

from ...hook.ids import event_time
from ...hooktypes.token import (
    TOKEN,
    AuthorizeRequest,
    MintedToken,
    TokenClient,
    TokenMinting,
    TokenSession,
    TokenUser,
    build_request,
)
from ..inline_hooks import InlineHooks
from ..oauth import OAuthError
from ..store import Store
from .minting import ORG_IDP_ID, Draft, Minting


def _when(epoch: float) -> str:
    return event_time(datetime.fromtimestamp(epoch, UTC))


class TokenHookStep:
    def __init__(self, store: Store, hooks: InlineHooks) -> None:
        self.store = store
        self.hooks = hooks

    def minting(self, minting: Minting, draft: Draft) -> TokenMinting:
        """What is being minted, as the token hook type describes it."""
        app, user, session = minting.app, minting.user, minting.session
        authorize = minting.authorize
        return TokenMinting(
            issuer=minting.issuer,
            client=TokenClient(app.client_id, app.label, "CONFIDENTIAL" if app.confidential else "PUBLIC"),
            grant_type=minting.grant_type,
            scopes={scope.name: scope.id for scope in minting.decision.scopes},
            access=MintedToken(dict(draft.access), draft.access_lifetime),
            identity=MintedToken(dict(draft.identity), draft.identity_lifetime) if draft.identity else None,
            user=TokenUser(user.id, dict(user.profile), user.password_changed) if user else None,
            session=(
                TokenSession(session.id, _when(session.created), _when(session.expires), ORG_IDP_ID)
                if session and user
                else None
            ),
            policy_id=minting.decision.policy.id,
            rule_id=minting.decision.rule.id,
            authorize=(
                AuthorizeRequest(
                    authorize["redirect_uri"],
                    authorize.get("response_type", "code"),
                    authorize.get("response_mode", "query"),
                    authorize.get("state"),
                )
                if authorize.get("redirect_uri")
                else None
            ),
            refresh_token_id=draft.refresh_id,
            request_url=minting.request_url,
            ip_address=minting.client_ip,
        )

    async def __call__(self, minting: Minting, draft: Draft) -> Draft:
        hook_id = minting.decision.rule.token.inline_hook_id
        hook = self.store.inline_hook(hook_id) if hook_id else None
        if hook is None or not hook.active:
            return draft
        token_minting = self.minting(minting, draft)
        run = await self.hooks.call_as(TOKEN, hook, build_request(token_minting), minting.client_ip)
        minted = run.verdict.apply(token_minting)
        if minted.error is not None:
            # callback_returned_error (Okta's OAuth error catalog): 400 server_error with the hook's text.
            raise OAuthError("server_error", minted.error, 400)
        return Draft(
            access=dict(minted.access.claims) if minted.access else draft.access,
            access_lifetime=minted.access.lifetime if minted.access else draft.access_lifetime,
            identity=dict(minted.identity.claims) if minted.identity else draft.identity,
            identity_lifetime=minted.identity.lifetime if minted.identity else draft.identity_lifetime,
            refresh_id=draft.refresh_id,
        )
