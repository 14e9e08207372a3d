"""Benchmarks (run as modules, e.g. ``python -m bench.engine``); not part of the test suite."""
