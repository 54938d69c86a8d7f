"""Sign-in sessions as the mock keeps them: a one-time `sessionToken` (from `/api/v1/authn`, traded at
`/login/sessionCookieRedirect`; or the end of an IDX sign-in, traded at `/login/token/redirect`) for the session
cookie, which names the signed-in user until it expires. The web layer asks here instead of reading the token
table itself."""

from __future__ import annotations

from .models import User, UserStatus
from .store import Store


class Sessions:
    def __init__(self, store: Store) -> None:
        self.store = store

    def session_token_for_activation(self, activation_token: str) -> tuple[User, str] | None:
        """The v1 widget's sign-in with the activation token of a registration that needed no email: the ACTIVE
        user and a one-time session token; None when the token is unknown, used or the user is not ACTIVE."""
        user_id = self.store.redeem_token("activation", activation_token) if activation_token else None
        user = self.store.user(user_id) if user_id else None
        if user is None or user.status != UserStatus.ACTIVE:
            return None
        return user, self.store.new_token("sessionToken", user.id)

    def redeem_session_token(self, session_token: str) -> str | None:
        """The user id a session token was issued for; the token is used up."""
        return self.store.redeem_token("sessionToken", session_token) if session_token else None

    def start(self, user_id: str) -> str:
        """A new session for the user: the session cookie's value."""
        return self.store.new_token("session", user_id)

    def user(self, session_cookie: str) -> User | None:
        """The signed-in user of an unexpired session cookie."""
        user_id = self.store.token_user("session", session_cookie) if session_cookie else None
        return self.store.user(user_id) if user_id else None
