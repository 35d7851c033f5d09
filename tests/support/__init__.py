"""Helpers shared by the test suites: imported by tests and fixtures, never themselves tests.
(A test module imports from here, from a suite's helper module or from a fixture, never from
tests.conftest or another test_* module: tests/unit/test_architecture.py checks it.)"""
