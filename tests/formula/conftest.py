"""The formula tests need no database. Messages are checked in their English source text."""
import pytest
from django.utils import translation

from kinerja.formula import LIMITS


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def limits():
    """The shared LIMITS, restored after the test whatever it changed."""
    saved = LIMITS.copy()
    yield LIMITS
    for field, value in vars(saved).items():
        setattr(LIMITS, field, value)
