"""An engine shared by the hardening tests, and a latch that frees a hanging engine."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator

import pytest

from bot.engine import Engine, default_engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture
async def release() -> AsyncIterator[threading.Event]:
    """Set at the end of the test, so an engine left hanging in a thread returns.

    Being async, it is set before the test's event loop closes, which waits for that thread.
    """
    latch = threading.Event()
    yield latch
    latch.set()
