"""A real Okta org, reached through its Management API: the client (`client`, over `requests`: errors as one-line
`OrgError`s, 429 and 5xx handled as Okta's SDKs do) and the readiness findings for pre-release verification
(`readiness`), shared by `mock-okta org` and the browser scenarios' `--okta-target org`. The same client talks to
the mock org, which answers the same API."""

# Where `mock-okta org attach` keeps what it attached and what was attached before (`restore` reads it back), and
# where the browser cases on an org target find the hook attach created.
STATE_FILE = ".mock-okta-org.json"
