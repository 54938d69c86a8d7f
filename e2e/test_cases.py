"""The cases file through the Sign Up page: the packaged module (`pytest --pyargs mock_okta.testing.signup_cases`),
collected here too so `make test` runs it on Gen2 and Gen3 with the guide's cases."""

from mock_okta.testing.signup_cases import pytest_generate_tests, test_case_through_the_sign_up_page

__all__ = ["pytest_generate_tests", "test_case_through_the_sign_up_page"]
