"""Development and test tooling: a fake Slack Web API (with Socket Mode) and signed request builders.

Nothing in the running app imports this package; tests, benchmarks and local demos do.
"""
