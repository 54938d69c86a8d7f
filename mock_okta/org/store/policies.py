"""The org's one profile enrollment policy (Identity Engine) and its Classic counterpart, the self-service
registration setting: each a single row, created with the store and by every reset."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, replace
from functools import lru_cache
from typing import Any

from ...hook.ids import event_time, okta_id
from ..models import (
    Access,
    ClassicActivation,
    EnrollmentRule,
    ProfileAttribute,
    ProfileEnrollmentPolicy,
    ProgressiveProfiling,
    RegistrationField,
    SelfServiceRegistration,
    UnknownUserAction,
    UserStatus,
)
from .database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    profile_attributes TEXT NOT NULL,
    inline_hook_id TEXT,
    access TEXT NOT NULL,
    target_status TEXT NOT NULL,
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    rule TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS self_service_registration (
    policy_id TEXT PRIMARY KEY,
    setting TEXT NOT NULL
);
"""
TABLES = ("policies", "self_service_registration")

DEFAULT_ATTRIBUTES = (
    ProfileAttribute("firstName", "First name", True),
    ProfileAttribute("lastName", "Last name", True),
    ProfileAttribute("email", "Email", True),
)
DEFAULT_POLICY_ID = "rst1default0policy00"
# Okta's default Classic registration form (okta-signin-widget `playground/mocks/data/api/v1/registration/form.json`):
# email, password, first and last name, all required, in that order.
DEFAULT_REGISTRATION_FIELDS = (
    RegistrationField("email"),
    RegistrationField("password"),
    RegistrationField("firstName"),
    RegistrationField("lastName"),
)


class PolicyTables(Database):
    def _insert_default_policies(self, now: str) -> None:
        """The default policy (no hook attached) and registration setting; the caller holds the lock."""
        self._db.execute(
            "INSERT INTO policies VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            (
                DEFAULT_POLICY_ID,
                "Default Policy",
                "The default profile enrollment policy",
                _attributes_json(DEFAULT_ATTRIBUTES),
                Access.ALLOW,
                UserStatus.PROVISIONED,
                now,
                now,
                _rule_json(EnrollmentRule(ui_schema_id=okta_id("uis"))),
            ),
        )
        default_ssr = SelfServiceRegistration(
            policy_id=okta_id("reg"),
            enabled=True,
            inline_hook_id=None,
            fields=DEFAULT_REGISTRATION_FIELDS,
            default_group_id=None,
            activation=ClassicActivation.EMAIL,
            post_registration_redirect=None,
            last_update=int(time.time() * 1000),
        )
        self._db.execute(
            "INSERT INTO self_service_registration VALUES (?, ?)", (default_ssr.policy_id, _ssr_json(default_ssr))
        )

    def _release_inline_hook(self, hook_id: str) -> None:
        """Neither the policy nor the registration setting calls this (deleted) hook any more."""
        self._execute("UPDATE policies SET inline_hook_id = NULL WHERE inline_hook_id = ?", (hook_id,))
        ssr = self.self_service_registration()
        if ssr.inline_hook_id == hook_id:
            self.save_self_service_registration(replace(ssr, inline_hook_id=None))

    # -- profile enrollment policy --------------------------------------------------------------------------
    def policy(self) -> ProfileEnrollmentPolicy:
        """The org's one profile enrollment policy (created with the store and by every reset)."""
        return _policy(tuple(self._execute(f"SELECT {POLICY_COLUMNS} FROM policies LIMIT 1")[0]))

    def save_policy(self, policy: ProfileEnrollmentPolicy) -> ProfileEnrollmentPolicy:
        self._execute(
            "UPDATE policies SET name = ?, description = ?, profile_attributes = ?, inline_hook_id = ?, access = ?, "
            "rule = ?, last_updated = ? WHERE id = ?",
            (
                policy.name,
                policy.description,
                _attributes_json(policy.profile_attributes),
                policy.inline_hook_id,
                policy.access,
                _rule_json(policy.rule),
                event_time(),
                policy.id,
            ),
        )
        return self.policy()

    def update_policy(self, **changes: Any) -> ProfileEnrollmentPolicy:
        """The policy with these fields replaced (`ProfileEnrollmentPolicy` field names), saved."""
        return self.save_policy(replace(self.policy(), **changes))

    # -- Classic self-service registration -------------------------------------------------------------------
    def self_service_registration(self) -> SelfServiceRegistration:
        return _ssr(self._execute("SELECT setting FROM self_service_registration LIMIT 1")[0]["setting"])

    def save_self_service_registration(self, setting: SelfServiceRegistration) -> SelfServiceRegistration:
        saved = replace(setting, last_update=int(time.time() * 1000))
        self._execute("UPDATE self_service_registration SET setting = ?", (_ssr_json(saved),))
        return saved


# A sign-up reads the policy about five times (the form, the hook, the rule's settings); parsing its JSON each time
# was a tenth of the org's own work per sign-up. The values are frozen (tuples, enums, strings), so one parsed value
# serves every read of the same row: the memo is keyed by the row's stored values themselves and needs no
# invalidation (a write makes a new key; the old entry is merely unused).
POLICY_COLUMNS = (
    "id, name, description, profile_attributes, inline_hook_id, access, target_status, created, last_updated, rule"
)


@lru_cache(maxsize=64)
def _policy(row: tuple[Any, ...]) -> ProfileEnrollmentPolicy:
    id_, name, description, attributes, hook_id, access, status, created, last_updated, rule = row
    return ProfileEnrollmentPolicy(
        id=id_,
        name=name,
        description=description,
        profile_attributes=tuple(ProfileAttribute(**a) for a in json.loads(attributes)),
        inline_hook_id=hook_id,
        access=Access(access),
        target_status=UserStatus(status),
        created=created,
        last_updated=last_updated,
        rule=_rule(json.loads(rule)),
    )


def _attributes_json(attributes: tuple[ProfileAttribute, ...]) -> str:
    return json.dumps([asdict(a) for a in attributes])


def _rule_json(rule: EnrollmentRule) -> str:
    return json.dumps(asdict(rule))


def _rule(data: dict[str, Any]) -> EnrollmentRule:
    return EnrollmentRule(
        unknown_user_action=UnknownUserAction(data["unknown_user_action"]),
        email_verification=data["email_verification"],
        target_group_ids=tuple(data["target_group_ids"]),
        progressive_profiling=ProgressiveProfiling(data["progressive_profiling"]),
        ui_schema_id=data["ui_schema_id"],
        allowed_identifiers=tuple(data["allowed_identifiers"]),
        enroll_authenticator_types=tuple(data["enroll_authenticator_types"]),
    )


def _ssr_json(setting: SelfServiceRegistration) -> str:
    return json.dumps(asdict(setting))


@lru_cache(maxsize=64)  # keyed by the stored text, as `_policy` is
def _ssr(setting: str) -> SelfServiceRegistration:
    data = json.loads(setting)
    return SelfServiceRegistration(
        **{
            **data,
            "fields": tuple(RegistrationField(**f) for f in data["fields"]),
            "activation": ClassicActivation(data["activation"]),
        }
    )
