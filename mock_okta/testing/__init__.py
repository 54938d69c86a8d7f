"""Test tooling for registration inline hooks: the pytest plugin (`plugin`), assertions on hook runs
(`assertions`), the blocking `MockOkta` handle (`harness`), Sign-In Widget page objects (`pages`), an ASGI app on a
loopback socket (`server_thread`), the sample hook started for a test (`sample_hook`) and a deliberately
misbehaving hook (`scripted_hook`). Import the module you need; nothing is imported here, so loading the plugin
stays cheap."""
