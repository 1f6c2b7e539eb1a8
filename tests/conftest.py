"""Shared fixtures for the repository's own tests."""

import os
import secrets

import pytest

# One seed per test session, printed so a failure can be replayed: GRADING_SEED=<n> make test
SEED = int(os.environ.get("GRADING_SEED", secrets.randbits(32)))


def pytest_report_header(config):
    return f"grading seed: {SEED} (replay with GRADING_SEED={SEED})"


@pytest.fixture(scope="session")
def seed():
    return SEED
