"""The org's users: lookup, Okta's search/filter/q, and the lifecycle (deactivate, then delete) with its
System Log events."""

from __future__ import annotations

import json
from typing import Any

from .errors import ApiValidationError, ResourceNotFound
from .models import Group, LogTarget, User, UserStatus
from .okta_json import render_user
from .passwords import hash_password
from .search import Search, matches, parse_filter
from .store import DuplicateLogin, Store
from .system_log import user_lifecycle
from .user_schema import UserSchema

Q_ATTRIBUTES = ("firstName", "lastName", "email", "login")


MAX_GROUP_IDS = 20  # "The request can specify up to 20 group IDs" (spec, Users API, "Create user in group")


class Users:
    def __init__(self, store: Store, schema: UserSchema) -> None:
        self.store = store
        self.schema = schema

    def get(self, id_or_login: str) -> User:
        user = self.store.user(id_or_login)
        if user is None:
            raise ResourceNotFound(id_or_login, "User")
        return user

    def find(self, *, search: str | None = None, filter: str | None = None, q: str | None = None) -> list[User]:
        """Users matching `search` / `filter` (e.g. `profile.email eq "x"`) or `q` (a prefix of first name, last
        name, email or login). With none of them, DEPROVISIONED users are left out, as in Okta."""
        terms, filters = parse_filter(search), parse_filter(filter)
        users = self.store.users(containing=_narrowing(terms) or _narrowing(filters))
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

    def register(
        self,
        profile: dict[str, Any],
        status: UserStatus,
        client_ip: str,
        *,
        group_ids: tuple[str, ...] = (),
        rule: LogTarget | None = None,
    ) -> User:
        """A user created by self-service registration; DuplicateLogin when the login is taken. Attributes the
        user schema lacks are dropped, as Okta drops non-schema sign-up fields after the hook saw them."""
        known = self.schema.names()
        # The user, its groups and its event(s) together: a user whose event could not be written is not kept, so
        # the sign-up can be sent again (not answered "already exists").
        with self.store.transaction():
            user = self.store.create_user({k: v for k, v in profile.items() if k in known}, status)
            self._join(user, group_ids)
            also = (rule,) if rule else ()
            created = user_lifecycle(
                user, "user.lifecycle.create", "Create okta user", client_ip, also=also, by_user=True
            )
            self.store.log_event(created)
            if status == UserStatus.ACTIVE:
                # Active at once (a Classic org without email activation): activated as it was created, and logged
                # as such, the way a user created through the Users API with `activate=true` is (`create` below).
                activated = user_lifecycle(
                    user, "user.lifecycle.activate", "Activate Okta user", client_ip, by_user=True
                )
                self.store.log_event(activated)
        return user

    def create(self, body: Any, *, activate: bool) -> User:
        """`POST /api/v1/users`: a profile checked against the user schema, optional `credentials.password` and
        `groupIds`. Status as Okta's table has it: STAGED without activation; with it, ACTIVE when a password was
        given, else PROVISIONED (the activation email)."""
        if not isinstance(body, dict) or not isinstance(body.get("profile"), dict):
            raise ApiValidationError(["profile: Required, an object of profile attributes"])
        profile: dict[str, Any] = body["profile"]
        causes = self.profile_problems(profile)
        credentials = body.get("credentials")
        password = credentials.get("password") if isinstance(credentials, dict) else None
        if credentials is not None and not isinstance(credentials, dict):
            causes.append("credentials: Must be an object")
        if password is not None and not (isinstance(password, dict) and isinstance(password.get("value"), str)):
            causes.append("credentials.password: Must be {value: string}")
        group_ids = body.get("groupIds") or []
        if not isinstance(group_ids, list) or len(group_ids) > MAX_GROUP_IDS:
            causes.append(f"groupIds: A list of at most {MAX_GROUP_IDS} group ids")
            group_ids = []
        for group_id in group_ids:
            if not isinstance(group_id, str) or self.store.group(group_id) is None:
                causes.append(f"groupIds: No group with id {str(group_id)[:40]!r}")
        if causes:
            raise ApiValidationError(causes)
        status = UserStatus.STAGED
        if activate:
            status = UserStatus.ACTIVE if password else UserStatus.PROVISIONED
        # Kept (salted, hashed) so the user can sign in through the hosted page; never returned. Hashed before the
        # transaction, which holds the store's lock.
        password_hash = hash_password(password["value"]) if password else None
        with self.store.transaction():  # the user, its password, groups and events: all kept or none
            try:
                user = self.store.create_user(profile, status)
            except DuplicateLogin:
                raise ApiValidationError(
                    ["login: An object with this field already exists in the current organization"]
                ) from None
            if password_hash:
                self.store.set_password(user.id, password_hash)
                user = self.store.user(user.id) or user  # with its passwordChanged
            self._join(user, tuple(group_ids))
            self.store.log_event(user_lifecycle(user, "user.lifecycle.create", "Create okta user"))
            if activate:
                self.store.log_event(user_lifecycle(user, "user.lifecycle.activate", "Activate Okta user"))
        return user

    def profile_problems(self, profile: dict[str, Any]) -> list[str]:
        """What Okta's schema check would say about a profile (required base attributes, lengths, unknown names)."""
        causes = []
        attributes = {a.name: a for a in self.schema.attributes()}
        for name, value in profile.items():
            attribute = attributes.get(name)
            if attribute is None:
                causes.append(f"{name}: Property name '{name}' is not defined in profile")
            elif value is not None and attribute.type == "string" and not isinstance(value, str):
                causes.append(f"{name}: Must be a string")
            elif isinstance(value, str) and attribute.max_length is not None and len(value) > attribute.max_length:
                causes.append(f"{name}: The field is too long")
        for attribute in attributes.values():
            value = profile.get(attribute.name)
            if attribute.required and (value is None or value == ""):
                causes.append(f"{attribute.name}: The field cannot be left blank")
            elif attribute.min_length and isinstance(value, str) and len(value) < attribute.min_length:
                causes.append(f"{attribute.name}: The field is too short")
        return causes

    def _join(self, user: User, group_ids: tuple[str, ...]) -> None:
        for group_id in (self.store.everyone().id, *group_ids):
            self.store.add_member(group_id, user.id)

    def groups(self) -> list[Group]:
        return self.store.groups()

    def deactivate(self, user: User) -> User:
        if user.status == UserStatus.DEPROVISIONED:
            return user
        with self.store.transaction():
            updated = self.store.set_user_status(user.id, UserStatus.DEPROVISIONED) or user
            self.store.log_event(user_lifecycle(updated, "user.lifecycle.deactivate", "Deactivate Okta user"))
        return updated

    def delete(self, user: User) -> None:
        """As in Okta: the first DELETE of a user that is not DEPROVISIONED deactivates it, the next deletes it."""
        if user.status != UserStatus.DEPROVISIONED:
            self.deactivate(user)
            return
        with self.store.transaction():
            self.store.log_event(user_lifecycle(user, "user.lifecycle.delete.initiated", "Delete Okta user"))
            self.store.delete_user(user.id)
            self.store.log_event(user_lifecycle(user, "user.lifecycle.delete.completed", "Delete Okta user completed"))


def _searchable(user: User) -> dict[str, Any]:
    # Okta's expressions name attributes of the user's JSON (`status`, `profile.email`, `created`...).
    return render_user(user, "", in_collection=True)


def _narrowing(search: Search) -> str | None:
    """Text every match's stored profile must contain: the value of an eq/sw/co term on a profile attribute
    when the expression has no `or` (as stored: JSON-escaped; only ASCII, which SQL compares in any case)."""
    if len(search) != 1:
        return None
    for attribute, op, value in search[0]:
        if attribute.startswith("profile.") and op in ("eq", "sw", "co") and value and value.isascii():
            return json.dumps(value)[1:-1]
    return None
