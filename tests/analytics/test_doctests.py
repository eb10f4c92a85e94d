"""Every numpydoc example of the analytics modules runs (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph_service.analytics as package

MODULES = sorted(m.name for m in pkgutil.iter_modules(package.__path__))


def test_every_module_is_listed():
    assert {
        "scoping",
        "projection",
        "bridges",
        "hubs",
        "keyplayers",
        "disruption",
        "cohort",
        "paths",
        "communities",
        "changes",
        "centrality",
        "stats",
        "errors",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"graph_service.analytics.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
