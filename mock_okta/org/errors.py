"""Okta's API errors as exceptions: each class carries its HTTP status and Okta error code (Okta's error-code
list, developer docs `data/error-codes.json`). Raised deep in the services, rendered once by the web layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# An errorCause: a text (rendered as {"errorSummary": text}) or a whole cause object (errorSummary, reason,
# locationType, location, domain), as the registration API returns them.
Cause = str | Mapping[str, str]


class OktaError(Exception):
    status = 400
    code = "E0000001"
    summary = "Api validation failed"

    def __init__(self, summary: str | None = None, causes: Sequence[Cause] = ()) -> None:
        super().__init__(summary or self.summary)
        if summary is not None:
            self.summary = summary
        self.causes = list(causes)

    @property
    def cause_texts(self) -> list[str]:
        return [c if isinstance(c, str) else c.get("errorSummary", "") for c in self.causes]


class ApiValidationError(OktaError):
    """400 E0000001, one errorCause per problem."""

    def __init__(self, causes: Sequence[str]) -> None:
        super().__init__(f"Api validation failed: {'; '.join(causes)}", causes)


class MalformedBody(OktaError):
    code = "E0000003"
    summary = "The request body was not well-formed."

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class Forbidden(OktaError):
    status = 403
    code = "E0000006"
    summary = "You do not have permission to perform the requested action"

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class ResourceNotFound(OktaError):
    status = 404
    code = "E0000007"

    def __init__(self, what: str, kind: str | None = None) -> None:
        subject = f"{what} ({kind})" if kind else what
        super().__init__(f"Not found: Resource not found: {subject}")


class InvalidToken(OktaError):
    status = 401
    code = "E0000011"
    summary = "Invalid token provided"


class MethodNotAllowed(OktaError):
    status = 405
    code = "E0000022"
    summary = "The endpoint does not support the provided HTTP method"


class InvalidSearch(OktaError):
    code = "E0000031"
    summary = "Invalid search criteria."

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class HookCommunicationError(OktaError):
    """`execute`: the hook answered, but not with something Okta could use."""

    code = "E0000134"
    summary = "Okta could not communicate correctly with an inline hook."

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class HookTimeout(HookCommunicationError):
    """`execute`: no answer within the deadline."""

    code = "E0000137"
    summary = "Okta did not receive a response from an inline hook."


class BodyTooLarge(OktaError):
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"Api validation failed: the request body exceeds {limit} bytes")


class RateLimited(OktaError):
    status = 429
    code = "E0000047"
    summary = "API call exceeded rate limit due to too many requests."


class NotEmulated(OktaError):
    """A route of Okta's Management API spec that the mock does not implement: an honest gap, never a 404 a client
    would read as Okta's answer."""

    status = 501
    code = "E0000015"  # Okta's code for a feature the org does not have; the 501 status says it is the mock's gap
    summary = "Not implemented by mock-okta"

    def __init__(self, method: str, template: str) -> None:
        super().__init__(f"Not implemented by mock-okta: {method} {template} (see GET /_mock/gaps)")
        self.route = f"{method} {template}"


class HookTypeNotEmulated(OktaError):
    """A stored inline hook of a type Okta knows and the mock does not call yet (execute, Preview): 501, as for
    the routes it does not serve."""

    status = 501
    code = "E0000015"

    def __init__(self, hook_type: str) -> None:
        super().__init__(f"Not implemented by mock-okta: calling inline hooks of type {hook_type}")


class InternalServerError(OktaError):
    """The org's database failed (an I/O error, a damaged page): 500 E0000009, never a traceback."""

    status = 500
    code = "E0000009"
    summary = "Internal Server Error"

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class ReadOnlyMode(OktaError):
    """The org's database cannot take writes (its disk is full, its file read-only): 503 E0000010, Okta's code for
    a database that only reads. Reads still work; the change asked for was not kept, so it can be sent again."""

    status = 503
    code = "E0000010"
    summary = "Service is in read only mode"

    def __init__(self, causes: Sequence[str] = ()) -> None:
        super().__init__(None, causes)


class FeatureNotEmulated(OktaError):
    """A value Okta accepts on an emulated route that the mock does not emulate (an app's signOnMode other than
    OPENID_CONNECT, `client_secret_jwt`): 501 with Okta's error JSON, as for the routes it does not serve, never an
    answer that would pass for Okta's."""

    status = 501
    code = "E0000015"

    def __init__(self, what: str) -> None:
        super().__init__(f"Not implemented by mock-okta: {what}")


class AppDeleteForbidden(OktaError):
    """Deleting an ACTIVE app (okta-developer-docs `docs/reference/api/apps`, last full version: 403 E0000056
    "Delete application forbidden." with the cause "The application must be deactivated before deletion.")."""

    status = 403
    code = "E0000056"
    summary = "Delete application forbidden."

    def __init__(self) -> None:
        super().__init__(None, ["The application must be deactivated before deletion."])
