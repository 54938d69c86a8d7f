"""The header deadline and connection cap of every server mock-okta runs (the org, `serve`, the fixtures'
servers). One implementation, the sample hook's (`hook_under_test.server`): the sample hook may depend on the
contract only, so the shared piece lives there and mock-okta's test tooling, which starts the sample hook anyway,
reuses it."""

from hook_under_test.server import HEADER_TIMEOUT as DEFAULT_HEADER_TIMEOUT
from hook_under_test.server import MAX_CONNECTIONS as DEFAULT_MAX_CONNECTIONS
from hook_under_test.server import with_header_timeout

__all__ = ["DEFAULT_HEADER_TIMEOUT", "DEFAULT_MAX_CONNECTIONS", "with_header_timeout"]
