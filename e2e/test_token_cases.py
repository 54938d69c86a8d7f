"""The token cases file through an app's sign-in in the browser: the packaged module (`pytest --pyargs
mock_okta.testing.token_cases`), collected here too so `make test` runs it on Gen2 and Gen3 with the guide's cases
(the patient gets `extPatientId`, anyone else the tokens as minted) against the sample's `/tokenHook`."""

from mock_okta.testing.token_cases import (
    on_widget,
    pytest_generate_tests,
    test_token_case_through_the_app_s_sign_in,
    token_issuer,
    token_target,
)

__all__ = [
    "on_widget",
    "pytest_generate_tests",
    "test_token_case_through_the_app_s_sign_in",
    "token_issuer",
    "token_target",
]
