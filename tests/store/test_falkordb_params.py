"""The parameter header the FalkorDB adapters send: the client's own spelling, faster.

Values travel in a ``CYPHER name=value`` prefix; :func:`params_header` writes it
without the client's per-value checks. It must spell every value exactly as the client
does, and the engine must read back what was sent.
"""

from __future__ import annotations

import random
import string

import pytest
from falkordb.helpers import stringify_param_value

from graph_service.store.falkordb_store import _literal, params_header

ALPHABET = string.printable + 'é"\\`ß中'


def _value(rng: random.Random, depth: int = 0):
    choice = rng.randrange(9 if depth < 3 else 6)
    if choice == 0:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(8)))
    if choice == 1:
        return rng.randrange(-(10**15), 10**15)
    if choice == 2:
        return rng.random() * 10 ** rng.randrange(-8, 20)
    if choice == 3:
        return rng.choice([True, False])
    if choice == 4:
        return None
    if choice == 5:
        return "plain"
    if choice == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 7:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    keys = ["".join(rng.choice(string.ascii_letters + "_ -") for _ in range(rng.randrange(1, 6))) for _ in range(3)]
    return {key: _value(rng, depth + 1) for key in keys}


def test_every_value_is_spelled_as_the_client_spells_it():
    rng = random.Random(20261123)
    for _ in range(5000):
        value = _value(rng)
        assert _literal(value) == stringify_param_value(value), value


def test_the_header_names_each_parameter_and_refuses_unsafe_map_keys():
    assert params_header({}) == ""
    assert params_header({"rows": [{"id": 'a"b'}], "n": 3}) == 'CYPHER `rows`=[{`id`:"a\\"b"}] `n`=3 '
    with pytest.raises(ValueError, match="backtick"):
        params_header({"rows": [{"a`b": 1}]})
    with pytest.raises(ValueError, match="non-empty"):
        params_header({"rows": {"": 1}})


def test_the_engine_reads_back_what_was_sent(tmp_path):
    from graph_service.settings import load_settings
    from graph_service.store import open_store

    sent = {
        "text": 'quote " backslash \\ backtick ` newline \n tab \t accent é 中',
        "numbers": [0, -7, 2**40, 1.5],
        "nested": {"list": ["a", None, True], "empty": ""},
    }
    store = open_store(load_settings(data_dir=tmp_path / "data"))
    try:
        back = store.read_all("RETURN $text AS text, $numbers AS numbers, $nested AS nested", sent)
    finally:
        store.close()
    assert back == [sent]
