"""The properties the loaders write on Person nodes and on links (docs/graph-model.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loaders import normalise as norm


def drop_none(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def link_props(
    source: str,
    source_ref: str,
    grading_values: Mapping[str, str],
    valid_from: str | None,
    valid_to: str | None,
    **extra: Any,
) -> dict[str, Any]:
    return drop_none(
        {
            "source": source,
            "source_ref": source_ref,
            **grading_values,
            "valid_from": valid_from,
            "valid_to": valid_to,
            **extra,
        }
    )


def person_props(
    namespace: str,
    source_id: str,
    surname: str,
    forenames: str,
    source: str,
    source_ref: str,
    **others: Any,
) -> dict[str, Any]:
    """The properties of a Person node as docs/graph-model.md lists them."""
    return drop_none(
        {
            **others,
            "namespace": namespace,
            "source_id": source_id,
            "surname": norm.display(surname),
            "forenames": norm.display(forenames),
            "name": norm.full_name(forenames, surname),
            "name_key": norm.name_key(forenames, surname),
            "source": source,
            "source_ref": source_ref,
        }
    )
