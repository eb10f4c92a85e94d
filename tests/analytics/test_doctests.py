"""Every numpydoc example of the analytics modules runs (doctest), and every module has some."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph_service.analytics as package

MODULES = sorted(m.name for m in pkgutil.iter_modules(package.__path__))

# Modules allowed to have no examples, each with the reason.
NO_EXAMPLES = {
    "errors": "only exception classes: nothing computed to show (their messages are tested elsewhere)",
}


def test_every_module_is_listed():
    assert {
        "scoping",
        "projection",
        "bridges",
        "brokerage",
        "hubs",
        "keyplayers",
        "disruption",
        "cohort",
        "paths",
        "communities",
        "changes",
        "centrality",
        "evidence",
        "stats",
        "errors",
    } <= set(MODULES)
    assert set(NO_EXAMPLES) <= set(MODULES)  # no stale exemption


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"graph_service.analytics.{name}")
    examples = sum(len(test.examples) for test in doctest.DocTestFinder().find(module))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted == examples  # every example found was run
    if name in NO_EXAMPLES:
        assert examples == 0, f"{name} has examples now: take it off NO_EXAMPLES"
    else:
        assert examples > 0, f"graph_service.analytics.{name} has no doctest examples"
