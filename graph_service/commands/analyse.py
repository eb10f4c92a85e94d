"""Analysis commands: analyse (all at once), bridges, hubs, communities, cohort, paths,
changes, disrupt.

``--json`` prints each result through :func:`graph_service.analytics.results.to_json`
(the one output path: it rounds, the analyses do not).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from graph_service.commands.common import DataDirOption, JsonOption, console, open_store_for, print_json, settings_for

AsOf = Annotated[str | None, typer.Option("--as-of", help="The graph as known on this date (YYYY-MM-DD).")]
Since = Annotated[str | None, typer.Option("--from", help="Window start: links whose period overlaps.")]
Until = Annotated[str | None, typer.Option("--to", help="Window end (YYYY-MM-DD).")]
Establishment = Annotated[list[str] | None, typer.Option("--establishment", help="Establishment code (repeatable).")]
MinSource = Annotated[
    str | None, typer.Option("--min-source-eval", help="Keep source evaluations up to this (1, 2, 3).")
]
MinIntel = Annotated[str | None, typer.Option("--min-intel-eval", help="Keep intel evaluations up to this (A..E).")]
ExcludeIntel = Annotated[
    list[str] | None, typer.Option("--exclude-intel", help="Drop this intel evaluation (repeatable, e.g. E).")
]
Handling = Annotated[
    list[str] | None, typer.Option("--handling", help="Keep only this handling code (P or C; repeatable).")
]
Top = Annotated[int, typer.Option("--top", help="How many results.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (Leiden; sampling with the NetworkX kernels).")]

out = Console()  # results go to stdout; errors and progress to stderr


def _scope(
    as_of=None,
    since=None,
    until=None,
    establishment=None,
    min_source_eval=None,
    min_intel_eval=None,
    exclude_intel=None,
    handling=None,
):
    from graph_service.analytics.scoping import Scope

    return Scope(
        as_of=as_of,
        since=since,
        until=until,
        establishments=tuple(establishment or ()),
        min_source_eval=min_source_eval,
        min_intel_eval=min_intel_eval,
        exclude_intel=tuple(exclude_intel or ()),
        handling=tuple(handling or ()),
    )


def kernels_for(settings: Any) -> Any:
    from graph_service.analytics.kernels import kernels_for as chosen

    return chosen(settings)


def _fail(error: Exception) -> NoReturn:
    console.print(f"[red]{error}[/red]")
    raise typer.Exit(2)


def _json(value: Any) -> None:
    """Print ``value`` (results, or plain data holding them) as JSON."""
    from graph_service.analytics.results import to_json

    print_json(to_json(value))


def _extract(data_dir, scope):
    from graph_service.analytics.scoping import extract

    with open_store_for(data_dir) as store:
        return extract(store, scope)


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(x) for x in row])
    out.print(table)


def _parts(result: Any) -> str:
    return ", ".join(f"{k} {v.value:.2f}" for k, v in result.components.items())


def bridges_command(
    top: Top = 10,
    max_hops: Annotated[int, typer.Option("--max-hops")] = 3,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    seed: Seed = 0,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Staff ranked by the weight of evidence connecting them to organised crime outside their duties."""
    from graph_service.analytics.bridges import bridge_ranking
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.projection import person_graph

    try:
        scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        settings = settings_for(data_dir)
        ranking = bridge_ranking(
            person_graph(_extract(data_dir, scope)),
            max_hops=max_hops,
            top=top,
            seed=seed,
            kernels=kernels_for(settings),
        )
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        _json({"scope": scope.to_dict(), "summary": ranking.summary, "results": ranking.results})
        return
    summary = ranking.summary
    _table(
        "Corruption bridges",
        ["#", "staff", "weight", "parts", "why"],
        [
            [
                r.rank,
                r.id,
                f"{r.weight_of_evidence:.2f}",
                _parts(r),
                "\n".join(r.reasons),
            ]
            for r in ranking.results
        ],
    )
    out.print(
        f"{summary.staff_with_evidence} of {summary.staff} staff have any evidence; "
        f"{summary.staff_ranked} reach the minimum weight of evidence ({summary.min_weight:g}) and are ranked."
    )


def hubs_command(
    top: Top = 10,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """People and numbers joining many prisoners, across establishments, to the outside and OCGs."""
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.hubs import custody_hubs
    from graph_service.analytics.projection import person_graph

    try:
        scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        graph = _extract(data_dir, scope)
        results = custody_hubs(graph, person_graph(graph), top=top)
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        _json({"scope": scope.to_dict(), "results": results})
        return
    _table(
        "Custody-to-community hubs",
        ["#", "id", "kind", "score", "prisoners", "establishments", "OCG members", "parts"],
        [
            [
                r.rank,
                r.id,
                r.kind,
                f"{r.score:.3f}",
                len(r.prisoners),
                len(r.establishments),
                len(r.ocg_members),
                _parts(r),
            ]
            for r in results
        ],
    )


def communities_command(
    seed: Seed = 0,
    min_size: Annotated[int, typer.Option("--min-size")] = 5,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Leiden communities of the person evidence graph, overlap with known OCGs, new groups flagged."""
    from graph_service.analytics.communities import communities
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.projection import person_graph

    try:
        scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        kernels = kernels_for(settings_for(data_dir))
        result = communities(person_graph(_extract(data_dir, scope)), seed=seed, min_size=min_size, kernels=kernels)
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        print_json({"scope": scope.to_dict(), **result.to_json()})
        return
    shown = [c for c in result.communities if c.size >= min_size]
    _table(
        f"Communities (modularity {result.modularity:.3f}, {result.count} in all)",
        ["#", "size", "best OCG", "Jaccard", "intel links", "new group"],
        [
            [
                c.community,
                c.size,
                c.best_ocg or "",
                f"{c.best_jaccard:.2f}",
                c.intelligence_links if c.intelligence_links is not None else "",
                "YES" if c.new_group else "",
            ]
            for c in shown
        ],
    )


def cohort_command(
    top: Top = 20,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """The highest-harm list: explainable cohort priority score (weights: MARSOC_COHORT_*)."""
    from graph_service.analytics.cohort import cohort_priority
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.projection import person_graph

    try:
        scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        settings = settings_for(data_dir)
        graph = _extract(data_dir, scope)
        results = cohort_priority(graph, person_graph(graph), weights=settings.cohort_weights, as_of=as_of, top=top)
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        _json({"scope": scope.to_dict(), "weights": settings.cohort_weights.model_dump(), "results": results})
        return
    _table(
        "Cohort priority",
        ["#", "id", "name", "score", "parts", "OCG"],
        [
            [
                r.rank,
                r.id,
                r.name or "",
                f"{r.score:.3f}",
                _parts(r),
                f"{r.ocg.ocg} {r.ocg.band or ''} {r.ocg.role or ''}" if r.ocg else "",
            ]
            for r in results
        ],
    )


def paths_command(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Node id.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Node id.")],
    max_hops: Annotated[int, typer.Option("--max-hops")] = 4,
    all_paths: Annotated[bool, typer.Option("--all/--one", help="All shortest paths or one.")] = True,
    max_paths: Annotated[int, typer.Option("--max-paths")] = 20,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Shortest paths between two entities within a hop limit, with the stored links of each step."""
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.paths import shortest_paths

    try:
        scope = _scope(as_of, since, until, None, min_source_eval, min_intel_eval, exclude_intel, handling)
        result = shortest_paths(
            _extract(data_dir, scope), source, target, max_hops=max_hops, all_paths=all_paths, max_paths=max_paths
        )
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        print_json({"scope": scope.to_dict(), **result.to_json()})
        return
    _table(
        f"{result.count} shortest path(s) of {result.hops} hops",
        ["#", "path", "link types"],
        [
            [
                i,
                " - ".join(p.nodes),
                " | ".join(",".join(sorted({str(link["type"]) for link in s.links})) for s in p.steps),
            ]
            for i, p in enumerate(result.paths, 1)
        ],
    )


def changes_command(
    since: Annotated[str, typer.Option("--since", help="The earlier date (last hub meeting).")],
    until: Annotated[str | None, typer.Option("--until", help="The later date (default today).")] = None,
    top: Top = 10,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """New links, new OCG members and the largest movers in bridges, hubs and cohort between two dates."""
    from graph_service.analytics.changes import changes_between
    from graph_service.analytics.errors import AnalyticsError

    until = until or date.today().isoformat()
    try:
        scope = _scope(None, None, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        settings = settings_for(data_dir)
        graph_scope = _scope(None, None, None, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        _scope(as_of=since), _scope(as_of=until)  # both dates must parse
        with open_store_for(data_dir) as store:
            raw = store.subgraph(scope.subgraph_filter())
        result = changes_between(raw, since, until, scope=graph_scope, cohort_weights=settings.cohort_weights, top=top)
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        _json(result)
        return
    out.print(
        f"Between {since} and {until}: {result.new_links.count} new links "
        f"{result.new_links.by_type}; {len(result.new_ocg_members)} new OCG members"
    )
    for name, rows in result.movers.items():
        _table(
            f"Largest movers: {name}",
            ["id", "rank before", "rank after", "move"],
            [[r.id, r.rank_before or "-", r.rank_after or "-", f"{r.delta:+d}"] for r in rows],
        )


def disrupt_command(
    network: Annotated[
        str | None,
        typer.Option("--network", help="A network loaded with load-network (default: the person evidence graph)."),
    ] = None,
    strategy: Annotated[str, typer.Option("--strategy", help="degree | betweenness | kpp")] = "degree",
    mode: Annotated[str, typer.Option("--mode", help="sequential | block")] = "sequential",
    steps: Annotated[int, typer.Option("--steps", help="How many nodes to remove.")] = 5,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", help="Remove this id (repeatable; replaces the strategy).")
    ] = None,
    seed: Seed = 0,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate removing people or numbers: largest component, fragmentation and efficiency per step."""
    from graph_service.analytics.disruption import evidence_network, simulate
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.projection import person_graph
    from graph_service.analytics.stats import simple_undirected

    try:
        settings = settings_for(data_dir)
        if network:
            from graph_service.store import SubgraphFilter

            with open_store_for(data_dir) as store:
                graph = simple_undirected(store.subgraph(SubgraphFilter(network=network)))
            if graph.number_of_nodes() == 0:
                raise AnalyticsError(f"no network named {network!r} in the store")
            removals = [r if r.startswith("net:") else f"net:{network}:{r}" for r in remove] if remove else None
        else:
            scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
            graph = evidence_network(person_graph(_extract(data_dir, scope)))
            removals = list(remove) if remove else None
        result = simulate(
            graph,
            strategy=strategy,
            mode=mode,
            steps=steps,
            remove=removals,
            seed=seed,
            exact_max_nodes=settings.betweenness_exact_max_nodes,
            samples=settings.betweenness_samples,
            kernels=kernels_for(settings),
        )
    except AnalyticsError as error:
        _fail(error)
    name = network or "person-evidence"
    if as_json:
        print_json({**result.to_json(), "network": name})
        return
    _table(
        f"Disruption of {name} ({result.strategy}, {result.mode})",
        ["step", "removed", "nodes", "lcc", "lcc fraction", "fragmentation", "efficiency"],
        [
            [
                s.step,
                ", ".join(map(str, s.removed)),
                s.nodes,
                s.lcc,
                f"{s.lcc_fraction:.3f}",
                f"{s.fragmentation:.3f}",
                f"{s.efficiency:.3f}",
            ]
            for s in result.curve
        ],
    )


def _section_rows(name: str, value: Any) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of one section of ``marsoc analyse`` as a table."""
    if name == "bridges":
        rows = [[r.rank, r.id, f"{r.weight_of_evidence:.2f}", r.reasons[0] if r.reasons else ""] for r in value.results]
        return ["#", "staff", "weight", "first reason"], rows
    if name == "hubs":
        return ["#", "id", "kind", "score", "prisoners", "establishments"], [
            [r.rank, r.id, r.kind, f"{r.score:.3f}", len(r.prisoners), len(r.establishments)] for r in value
        ]
    if name == "communities":
        shown = [c for c in value.communities if c.new_group or c.best_ocg][:10]
        return ["#", "size", "best OCG", "Jaccard", "new group"], [
            [c.community, c.size, c.best_ocg or "", f"{c.best_jaccard:.2f}", "YES" if c.new_group else ""]
            for c in shown
        ]
    if name == "cohort":
        return ["#", "id", "name", "score"], [[r.rank, r.id, r.name or "", f"{r.score:.3f}"] for r in value]
    neg, pos = value["kpp_neg"], value["kpp_pos"]
    return ["set", "people", "measure"], [
        ["KPP-Neg (fragment)", ", ".join(map(str, neg.nodes)), f"fragmentation {neg.fragmentation:.4f}"],
        ["KPP-Pos (reach)", ", ".join(map(str, pos.nodes)), f"reach {pos.reach:.4f}"],
    ]


def analyse_command(
    top: Top = 10,
    section: Annotated[
        list[str] | None,
        typer.Option("--section", help="bridges | hubs | communities | cohort | keyplayers (repeatable; default all)."),
    ] = None,
    seed: Seed = 0,
    as_of: AsOf = None,
    since: Since = None,
    until: Until = None,
    establishment: Establishment = None,
    min_source_eval: MinSource = None,
    min_intel_eval: MinIntel = None,
    exclude_intel: ExcludeIntel = None,
    handling: Handling = None,
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every whole-graph analysis on one extraction: bridges, hubs, communities, cohort, key players, timed."""
    from graph_service.analytics.errors import AnalyticsError
    from graph_service.analytics.results import to_json
    from graph_service.analytics.suite import SECTIONS, Options, analyse
    from graph_service.analytics.workspace import Workspace

    chosen = list(dict.fromkeys(section or SECTIONS))
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise typer.BadParameter(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    try:
        scope = _scope(as_of, since, until, establishment, min_source_eval, min_intel_eval, exclude_intel, handling)
        settings = settings_for(data_dir)
        options = Options(top=top, seed=seed, cohort_weights=settings.cohort_weights)
        with open_store_for(data_dir) as store, console.status("extracting the analysis graph") as status:
            ws = Workspace(store, kernels=kernels_for(settings))
            found, timings = analyse(
                ws, scope, options, chosen, progress=lambda step: status.update(f"analysing: {step}")
            )
            refresh = ws.last_read
    except AnalyticsError as error:
        _fail(error)
    if as_json:
        print_json(
            {
                "scope": scope.to_dict(),
                "kernels": ws.kernels.name,
                "graph": refresh.to_json() if refresh else None,
                "timings_s": {k: round(v, 3) for k, v in timings.items()},
                "sections": {name: to_json(s.value) for name, s in found.items()},
            }
        )
        return
    for name, part in found.items():
        columns, rows = _section_rows(name, part.value)
        _table(f"{name} ({part.seconds:.2f} s)", columns, rows)
    shared = ", ".join(f"{k.removesuffix('_s')} {timings[k]:.2f} s" for k in ("refresh_s", "scope_s", "people_s"))
    out.print(f"kernels {ws.kernels.name}; {shared}; total {timings['total_s']:.2f} s")


def register(app: typer.Typer) -> None:
    app.command("analyse")(analyse_command)
    app.command("bridges")(bridges_command)
    app.command("hubs")(hubs_command)
    app.command("communities")(communities_command)
    app.command("cohort")(cohort_command)
    app.command("paths")(paths_command)
    app.command("changes")(changes_command)
    app.command("disrupt")(disrupt_command)
