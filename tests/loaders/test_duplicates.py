"""The duplicate index: keys remembered per file, in memory and then on disk."""

from __future__ import annotations

from loaders.duplicates import DuplicateIndex
from loaders.rows import Key


def _remember(index: DuplicateIndex, file: str, keys: list[Key], first_line: int = 2) -> list[int]:
    hashes = [index._hash(file, key) for key in keys]
    index.add([(h, first_line + i, index.encode(key)) for i, (h, key) in enumerate(zip(hashes, keys))])
    return hashes


def _call(call_id: str, seconds: int) -> Key:
    return Key("call", (call_id,), {"callee_number": "+447700900123", "duration_seconds": seconds, "note": None})


def test_values_come_back_with_their_columns_before_and_after_spilling(tmp_path):
    for memory_keys in (100, 2):  # 2: the fourth key moves the index to SQLite
        index = DuplicateIndex(memory_keys=memory_keys)
        try:
            odd = Key("call", ("C4",), {"callee_number": "+447700900999", "extra_column": "x"})
            hashes = _remember(index, "calls.csv", [_call("C1", 10), _call("C2", 20), _call("C3", 30), odd])
            assert (index.memory is None) == (memory_keys == 2)
            found = index.lookup([*hashes, index._hash("calls.csv", _call("C9", 1))])
            assert sorted(line for line, _ in found.values()) == [2, 3, 4, 5]
            _line, encoded = found[hashes[1]]
            assert index.decode("call", encoded) == {
                "callee_number": "+447700900123",
                "duration_seconds": 20,
                "note": None,
            }
            assert index.decode("call", found[hashes[3]][1]) == {"callee_number": "+447700900999", "extra_column": "x"}
        finally:
            index.close()


def test_the_first_row_of_a_key_is_kept_and_a_reset_forgets_every_key():
    index = DuplicateIndex()
    first = _remember(index, "calls.csv", [_call("C1", 10)], first_line=2)
    _remember(index, "calls.csv", [_call("C1", 99)], first_line=7)
    line, encoded = index.lookup(first)[first[0]]
    assert line == 2 and index.decode("call", encoded)["duration_seconds"] == 10
    assert index.lookup([index._hash("visits.csv", _call("C1", 10))]) == {}  # keys belong to one file
    index.reset()
    assert index.lookup(first) == {}
    index.close()
