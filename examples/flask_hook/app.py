"""A registration inline hook written the way many teams write theirs: Flask, Basic auth, one rule.

- example.com addresses are allowed, and the hook sets `department` to `Eng` on the new user;
- other domains are denied, with the reason under the Email field;
- progressive-profile requests are allowed without changes.

Run it: `python -m flask_hook.app --port 8090 [--record DIR]` (from `examples/`), then point mock-okta at
`http://127.0.0.1:8090/okta/registration` with `--auth-header 'Authorization: Basic <HOOK_CREDENTIALS base64>'`.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import os
import uuid
from pathlib import Path

from flask import Flask, Response, jsonify, request

DENIED = "Sign-ups are open to example.com staff only."
CREDENTIALS = os.environ.get("HOOK_CREDENTIALS", "okta:flask-hook-secret")


def expected_header() -> str:
    return "Basic " + base64.b64encode(CREDENTIALS.encode()).decode()


def create_app(record_dir: str | None = None) -> Flask:
    app = Flask(__name__)

    @app.post("/okta/registration")
    def registration() -> Response | tuple[Response, int] | tuple[str, int]:
        if not hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected_header().encode()):
            return "", 401
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify({"error": "expected a JSON object"}), 400
        if record_dir:  # the request only, never the headers: the secret stays out of the records
            Path(record_dir, f"{uuid.uuid4().hex}.json").write_text(json.dumps(body))
        if body.get("requestType") == "progressive.profile":
            return "", 204
        email = str((body.get("data") or {}).get("userProfile", {}).get("email", ""))
        if email.rpartition("@")[2].lower() == "example.com":
            return jsonify({"commands": [{"type": "com.okta.user.profile.update", "value": {"department": "Eng"}}]})
        cause = {
            "errorSummary": DENIED,
            "reason": "DOMAIN_NOT_ALLOWED",
            "locationType": "body",
            "location": "data.userProfile.email",
            "domain": "end-user",
        }
        return jsonify(
            {
                "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
                "error": {"errorSummary": "Registration denied", "errorCauses": [cause]},
            }
        )

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--record", help="keep every request received in this folder (for `mock-okta drift`)")
    args = parser.parse_args()
    if args.record:
        Path(args.record).mkdir(parents=True, exist_ok=True)
    create_app(args.record).run(host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
