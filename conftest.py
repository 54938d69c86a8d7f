"""Project-wide pytest settings. The mock-okta fixtures come from the installed plugin (entry point pytest11)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Hypothesis examples here make real HTTP calls on loopback; keep them bounded and deadline-free.
settings.register_profile("mock-okta", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mock-okta")
