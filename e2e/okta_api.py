"""The Management API calls the e2e scenarios need (find and clean up users), over `requests`, for the mock and
for a real org alike."""

from __future__ import annotations

from typing import Any

import requests


class OktaApiError(RuntimeError):
    pass


class OktaUsers:
    def __init__(self, base_url: str, api_token: str, *, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"SSWS {api_token}", "Accept": "application/json"})

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, self.base_url + path, timeout=10, **kwargs)
        if response.status_code >= 400 and response.status_code != 404:
            try:
                summary = response.json().get("errorSummary", response.text)
            except ValueError:
                summary = response.text
            raise OktaApiError(f"{method} {path}: HTTP {response.status_code}: {summary}")
        return response

    def find_by_email(self, email: str) -> dict[str, Any] | None:
        escaped = email.replace("\\", "\\\\").replace('"', '\\"')
        users = self._call("GET", "/api/v1/users", params={"search": f'profile.email eq "{escaped}"'}).json()
        return users[0] if users else None

    def delete(self, user_id: str) -> None:
        """Okta deletes a user in two steps: deactivate, then delete."""
        self._call("POST", f"/api/v1/users/{user_id}/lifecycle/deactivate")
        self._call("DELETE", f"/api/v1/users/{user_id}")
