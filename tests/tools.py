"""Outside tools some tests need (Chromium, LibreOffice): skipped in a bare run, a failure under `make test` and CI
(RIVERBOARD_REQUIRE_TOOLS=1, set by the Makefile), where they are installed and a skip would hide a missing step."""
from __future__ import annotations

import functools
import os

import pytest


def missing(what: str) -> None:
    message = f"{what} is needed here (make test installs it)"
    if os.environ.get("RIVERBOARD_REQUIRE_TOOLS"):
        pytest.fail(message + ": under make test a missing tool is a failure, not a skip", pytrace=False)
    pytest.skip(message)


def needs(available, what: str):
    """A test decorator: run the test only when `available()` holds, else `missing(what)`."""
    def wrap(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            if not available():
                missing(what)
            return test(*args, **kwargs)
        return run
    return wrap
