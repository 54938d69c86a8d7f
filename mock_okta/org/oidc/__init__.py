"""OpenID Connect and OAuth 2.0 at the org's custom authorization servers (`/oauth2/{authServerId}/...`): their
keys, discovery, the authorization code flow with PKCE, the token endpoint's grants, userinfo, introspection,
revocation and logout, and the minting of tokens under the access policy rule that matched (with its token inline
hook). Nothing here knows HTTP frameworks: `web.oidc` parses requests and writes these answers."""

from __future__ import annotations

from ..store import Store
from .keys import ServerKeys


class OpenIdConnect:
    def __init__(self, store: Store, keys: ServerKeys) -> None:
        self.store = store
        self.keys = keys
