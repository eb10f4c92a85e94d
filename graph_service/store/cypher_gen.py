"""Write Cypher derived from the schema declaration.

Labels and link types are inserted into the text only after the schema confirms
them; every value travels as a parameter. The statements use the openCypher subset
that both FalkorDB and Neo4j run.
"""

from __future__ import annotations

from graph_service.schema import NIGHT_COUNT, SchemaError, check_label, link_type, node_type

# The hours (as the two characters 11-12 of an ISO date-time) whose events count in an
# aggregated link's ``night_count``: calls started 00:00-05:59.
NIGHT_HOURS: tuple[str, ...] = ("00", "01", "02", "03", "04", "05")
_NIGHT_LIST = "[" + ", ".join(f"'{h}'" for h in NIGHT_HOURS) + "]"


def _counts_nights(type_name: str) -> bool:
    """Whether links of this aggregated type declare ``night_count`` (calls do)."""
    return NIGHT_COUNT in link_type(type_name).properties


def upsert_nodes(label: str, extra_labels: tuple[str, ...] = ()) -> str:
    """``UNWIND $rows`` merge of nodes by id; rows are ``{id, props}``.

    ``firstseen`` is set once, ``lastupdated``/``load_run`` on every write, and the
    row's properties are merged in (a null value leaves the stored one alone).
    ``row.only``: the agencies that may see a node the row creates (handling ``C``;
    ``graph_service.visibility``); a row without it opens the node to everyone, a
    restricted row adds its agencies to a restricted node.
    """
    key = node_type(label).key
    extra = "".join(f" SET n:{check_label(x)}" for x in extra_labels)
    return (
        "UNWIND $rows AS row "
        f"MERGE (n:{check_label(label)} {{{key}: row.id}}) "
        "ON CREATE SET n.firstseen = $now, n.restricted_to = row.only "
        "ON MATCH SET n.restricted_to = CASE WHEN n.restricted_to IS NULL OR row.only IS NULL THEN NULL "
        "ELSE n.restricted_to + [a IN row.only WHERE NOT a IN n.restricted_to] END "
        "SET n += row.props, n.lastupdated = $now, n.load_run = $run"
        f"{extra} "
        "RETURN count(n) AS written"
    )


def _endpoints(from_label: str, to_label: str) -> str:
    return f"MATCH (a:{check_label(from_label)} {{id: row.src}}) MATCH (b:{check_label(to_label)} {{id: row.dst}}) "


def upsert_links(type_name: str, from_label: str, to_label: str) -> str:
    """``UNWIND $rows`` merge of links; rows are ``{src, dst, key, props}``.

    The link type's declared key properties (from ``row.key``) tell apart two links
    between the same pair; rows whose endpoints do not exist are not written and
    are not counted in ``written``.
    """
    declared = link_type(type_name)
    key_map = ", ".join(f"`{k}`: row.key.`{k}`" for k in declared.key)
    key_text = f" {{{key_map}}}" if key_map else ""
    return (
        "UNWIND $rows AS row " + _endpoints(from_label, to_label) + f"MERGE (a)-[r:{declared.type}{key_text}]->(b) "
        "ON CREATE SET r.firstseen = $now "
        "SET r += row.props, r.lastupdated = $now, r.load_run = $run "
        "RETURN count(r) AS written"
    )


def _merge_aggregated(type_name: str, from_label: str, to_label: str) -> str:
    """The aggregated link of each row, created empty when new."""
    declared = link_type(type_name)
    if not declared.aggregated:
        raise SchemaError(f"{type_name} is not declared as an aggregated link type")
    night = ", r.night_count = 0" if _counts_nights(type_name) else ""
    return (
        "UNWIND $rows AS row " + _endpoints(from_label, to_label) + f"MERGE (a)-[r:{declared.type}]->(b) "
        "ON CREATE SET r.firstseen = $now, r.event_ids = [], r.count = 0, "
        f"r.total_seconds = 0, r.sources = [], r.establishments = []{night} "
    )


def accumulate_links(type_name: str, from_label: str, to_label: str) -> str:
    """``UNWIND $rows`` merge of aggregated links (calls, visits) without double counting.

    Each row is ``{src, dst, props, events: [{id, at, seconds, source, place}]}``.
    The link keeps the ids of the events it has counted (``event_ids``); an event
    already counted is ignored, so loading the same or an overlapping export again
    changes nothing. ``count``, ``first``, ``last``, ``total_seconds``, ``sources``
    and ``establishments`` (from each event's ``place``) are updated from the new events
    only; ``valid_from``/``valid_to`` follow ``first``/``last``. Calls also count
    ``night_count``: new events whose ``at`` hour (characters 11-12) is one of
    ``NIGHT_HOURS`` (00-05); a link written before the property existed counts from 0.
    """
    night = (
        "r.night_count = coalesce(r.night_count, 0) + "
        f"size([e IN fresh WHERE substring(e.at, 11, 2) IN {_NIGHT_LIST}]), "
        if _counts_nights(type_name)
        else ""
    )
    return (
        _merge_aggregated(type_name, from_label, to_label)
        + "WITH r, row, [e IN row.events WHERE NOT e.id IN r.event_ids] AS fresh "
        "WITH r, row, fresh, "
        "reduce(m = r.first, e IN fresh | CASE WHEN m IS NULL OR e.at < m THEN e.at ELSE m END) AS first, "
        "reduce(m = r.last, e IN fresh | CASE WHEN m IS NULL OR e.at > m THEN e.at ELSE m END) AS last "
        "SET r += row.props, "
        "r.event_ids = r.event_ids + [e IN fresh | e.id], "
        "r.count = r.count + size(fresh), "
        f"{night}"
        "r.total_seconds = r.total_seconds + reduce(s = 0, e IN fresh | s + coalesce(e.seconds, 0)), "
        "r.sources = reduce(s = r.sources, e IN fresh | "
        "CASE WHEN e.source IS NULL OR e.source IN s THEN s ELSE s + e.source END), "
        "r.establishments = reduce(s = r.establishments, e IN fresh | "
        "CASE WHEN e.place IS NULL OR e.place IN s THEN s ELSE s + e.place END), "
        "r.first = first, r.last = last, "
        "r.valid_from = substring(first, 0, 10), r.valid_to = substring(last, 0, 10), "
        "r.lastupdated = $now, r.load_run = $run "
        "RETURN count(r) AS written, sum(size(fresh)) AS new_events"
    )


def _first_last(which: str) -> str:
    """The stored ``first``/``last`` extended by the row's (``<`` for first, ``>`` for last)."""
    op = "<" if which == "first" else ">"
    return f"CASE WHEN r.{which} IS NULL OR row.{which} {op} r.{which} THEN row.{which} ELSE r.{which} END"


def accumulate_summaries(type_name: str, from_label: str, to_label: str) -> str:
    """The fast form of :func:`accumulate_links`: each row's events summed beforehand.

    Rows are ``{src, dst, props, ids, n, night, seconds, first, last, sources, places}``
    (:func:`graph_service.store.port.event_summary`). A row none of whose ids the link has
    counted yet is added whole; a row with an id already counted is left untouched and
    not counted in ``written``, for :func:`accumulate_links` to add event by event.
    Calls add the row's ``night`` to ``night_count`` (from 0 on a link without it).
    """
    first, last = _first_last("first"), _first_last("last")
    night = "r.night_count = coalesce(r.night_count, 0) + row.night, " if _counts_nights(type_name) else ""
    return (
        _merge_aggregated(type_name, from_label, to_label)
        + "WITH r, row WHERE none(i IN row.ids WHERE i IN r.event_ids) "
        "SET r += row.props, "
        "r.event_ids = r.event_ids + row.ids, "
        "r.count = r.count + row.n, "
        f"{night}"
        "r.total_seconds = r.total_seconds + row.seconds, "
        "r.sources = r.sources + [s IN row.sources WHERE NOT s IN r.sources], "
        "r.establishments = r.establishments + [p IN row.places WHERE NOT p IN r.establishments], "
        f"r.first = {first}, r.last = {last}, "
        f"r.valid_from = substring({first}, 0, 10), r.valid_to = substring({last}, 0, 10), "
        "r.lastupdated = $now, r.load_run = $run "
        "RETURN count(r) AS written, sum(row.n) AS new_events"
    )
