"""The values of a custom authorization server's claims: the part of the Okta Expression Language the mock evaluates
(a string literal, `user.<profile attribute>`, `app.clientId`) and the group filters of a GROUPS claim
(okta-developer-docs `docs/reference/api/authorization-servers`, "Details for group_filter_type"). An expression
outside that part is refused when the claim is made, never evaluated wrongly later."""

from __future__ import annotations

import re
from typing import Any

from .oauth_models import OAuth2Claim

LITERAL = re.compile(r'^"([^"\\]*)"$')
USER_ATTRIBUTE = re.compile(r"^user\.([A-Za-z_][A-Za-z0-9_]{0,99})$")
APP_CLIENT_ID = "app.clientId"
SUPPORTED = 'a string literal ("text"), user.<profile attribute> or app.clientId'
MAX_GROUPS = 100  # "the groups claim has a limit of 100" (docs `reference/api/oidc`, scope-dependent claims)


def expression_problem(expression: str) -> str | None:
    """Why mock-okta cannot evaluate this expression, or None."""
    text = expression.strip()
    if LITERAL.match(text) or USER_ATTRIBUTE.match(text) or text == APP_CLIENT_ID:
        return None
    return f"mock-okta evaluates {SUPPORTED}; {expression[:60]!r} is not one of them"


def evaluate(expression: str, profile: dict[str, Any] | None, client_id: str) -> Any:
    """The value of an expression `expression_problem` accepted; None when it names what is missing (no user, an
    attribute the user has no value for): Okta leaves such a claim out of the token."""
    text = expression.strip()
    literal = LITERAL.match(text)
    if literal:
        return literal.group(1)
    if text == APP_CLIENT_ID:
        return client_id
    attribute = USER_ATTRIBUTE.match(text)
    if attribute and profile is not None:
        return profile.get(attribute.group(1))
    return None


def group_names(claim: OAuth2Claim, names: list[str]) -> list[str]:
    """The user's groups a GROUPS claim selects: STARTS_WITH, EQUALS and CONTAINS ignore case, REGEX does not."""
    wanted = claim.value or ""
    kind = claim.group_filter_type
    if kind == "REGEX":
        try:
            pattern = re.compile(wanted.strip("/"))
        except re.error:
            return []
        return [n for n in names if pattern.fullmatch(n)][:MAX_GROUPS]
    wanted = wanted.lower()
    if kind == "STARTS_WITH":
        return [n for n in names if n.lower().startswith(wanted)][:MAX_GROUPS]
    if kind == "EQUALS":
        return [n for n in names if n.lower() == wanted][:MAX_GROUPS]
    if kind == "CONTAINS":
        return [n for n in names if wanted in n.lower()][:MAX_GROUPS]
    return []
