"""Test and benchmark tooling, not shipped in the wheel: a fake Slack Web API (with Socket Mode) on
127.0.0.1 and signed request builders. Importable as `fakes` from the tests (pytest's pythonpath) and
the benchmarks (which put tests/ on sys.path); runnable alone with
`PYTHONPATH=tests python -m fakes.fake_slack --port 8099`.
"""
