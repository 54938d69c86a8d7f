"""The org's users: lookup, Okta's search/filter/q, and the lifecycle (deactivate, then delete) with its
System Log events."""

from __future__ import annotations

from typing import Any

from .errors import ResourceNotFound
from .models import User, UserStatus
from .okta_json import render_user
from .search import matches, parse_filter
from .store import Store
from .system_log import user_lifecycle

Q_ATTRIBUTES = ("firstName", "lastName", "email", "login")


class Users:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, id_or_login: str) -> User:
        user = self.store.user(id_or_login)
        if user is None:
            raise ResourceNotFound(id_or_login, "User")
        return user

    def find(self, *, search: str | None = None, filter: str | None = None, q: str | None = None) -> list[User]:
        """Users matching `search` / `filter` (e.g. `profile.email eq "x"`) or `q` (a prefix of first name, last
        name, email or login). With none of them, DEPROVISIONED users are left out, as in Okta."""
        terms, filters = parse_filter(search), parse_filter(filter)
        users = self.store.users()
        if terms or filters:
            users = [u for u in users if matches(_searchable(u), terms) and matches(_searchable(u), filters)]
        if q:
            wanted = q.lower()
            users = [
                u for u in users if any(str(u.profile.get(k, "")).lower().startswith(wanted) for k in Q_ATTRIBUTES)
            ]
        if not q and not search and not filter:
            users = [u for u in users if u.status != UserStatus.DEPROVISIONED]
        return users

    def register(self, profile: dict[str, Any], status: UserStatus, client_ip: str) -> User:
        """A user created by self-service registration; DuplicateLogin when the login is taken."""
        user = self.store.create_user(profile, status)
        self.store.log_event(user_lifecycle(user, "user.lifecycle.create", "Create okta user", client_ip))
        return user

    def deactivate(self, user: User) -> User:
        if user.status == UserStatus.DEPROVISIONED:
            return user
        updated = self.store.set_user_status(user.id, UserStatus.DEPROVISIONED) or user
        self.store.log_event(user_lifecycle(updated, "user.lifecycle.deactivate", "Deactivate Okta user"))
        return updated

    def delete(self, user: User) -> None:
        """As in Okta: the first DELETE of a user that is not DEPROVISIONED deactivates it, the next deletes it."""
        if user.status != UserStatus.DEPROVISIONED:
            self.deactivate(user)
            return
        self.store.delete_user(user.id)
        self.store.log_event(user_lifecycle(user, "user.lifecycle.delete.initiated", "Delete Okta user"))


def _searchable(user: User) -> dict[str, Any]:
    # Okta's expressions name attributes of the user's JSON (`status`, `profile.email`, `created`...).
    return render_user(user, "")
