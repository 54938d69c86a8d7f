"""How mock-okta runs an ASGI app, written once for every server it starts (`mock-okta serve`, `hook-under-test`,
the demo's and the fixtures' servers): the header deadline and connection cap (`guarded_http`), uvicorn set up
the same way on a socket bound before serving (`server`), and the same in a background thread (`thread`).

Nothing here knows the org, the CLI or pytest, so the sample hook may use it too. Import the module you need:
nothing is imported here, so reading the defaults (`mock-okta serve --help`) does not load uvicorn."""
