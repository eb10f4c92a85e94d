"""Cypher tests: Neo4j's parser reports through pytest's terminal (see neo4j_parser.py)."""

from __future__ import annotations

import neo4j_parser  # this folder is on sys.path (pytest's prepend import mode)
import pytest


def pytest_configure(config: pytest.Config) -> None:
    neo4j_parser.CONFIG[:] = [config]
