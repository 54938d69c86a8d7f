"""Test tooling for registration inline hooks: the pytest plugin (`plugin`), assertions on hook runs
(`assertions`), the blocking `MockOkta` handle (`harness`), Sign-In Widget page objects (`pages`), the sample hook
started for a test (`sample_hook`) and a deliberately misbehaving hook (`scripted_hook`); servers run on loopback
through `mock_okta.serving`. Import the module you need; nothing is imported here, so loading the plugin stays
cheap."""
