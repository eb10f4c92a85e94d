"""`generate_world`: build the world, plant the truth, write every file and the truth."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from graph_service.grading import ORIGINATING_AGENCY
from graph_service.synthetic import names as N
from graph_service.synthetic.activity import finalise_stats, write_calls, write_visits
from graph_service.synthetic.badrows import makers_for
from graph_service.synthetic.scales import WINDOW_END, WINDOW_START, get_scale
from graph_service.synthetic.truth import plant_truth
from graph_service.synthetic.world import World, build_world, iso
from graph_service.synthetic.writer import BadRowPlanter, CsvSink
from loaders.contract import FILES, columns

BOM_FILE = "persons.csv"
EXTRA_COLUMNS = {"links.csv": ["notes"]}
GROUND_TRUTH = "ground_truth.json"


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )


class _Files:
    """Opens the sinks and runs the bad-row planter of each in-memory file."""

    def __init__(self, w: World, out: Path) -> None:
        self.w = w
        self.out = out
        self.bad: list[dict] = []
        self.counts: dict[str, int] = {}

    def sink(self, file: str) -> CsvSink:
        # A partner's export names no originating agency: the load's --agency gives it.
        header = [c for c in columns(file) if c != ORIGINATING_AGENCY]
        return CsvSink(self.out / file, header + EXTRA_COLUMNS.get(file, []), bom=(file == BOM_FILE))

    def write_rows(
        self, file: str, rows: list[list[str]], fresh: Callable[[], str] | None = None, tags: list | None = None
    ) -> None:
        sink = self.sink(file)
        sc = self.w.scale
        planter = BadRowPlanter(
            self.w.rng("bad:" + file),
            sink,
            makers_for(file, sink.index, fresh),
            sc.bad_rate,
            sc.min_bad if file not in ("persons.csv",) else 2,
            len(rows),
        )
        for i, row in enumerate(rows):
            line = sink.write(row)
            if tags is not None and tags[i] is not None:
                tags[i]["link_row"] = line
            planter.after_good(row)
        planter.finish()
        self.bad.extend(planter.records)
        sink.close()
        self.counts[file] = sink.rows


def _prisoner_rows(w: World) -> list[list[str]]:
    rng = w.rng("write:prisoners")
    order = list(range(len(w.prisoners)))
    rng.shuffle(order)
    rows = []
    for k in order:
        p = w.prisoners[k]
        for period in p.periods:
            rows.append(
                [
                    p.number,
                    p.surname,
                    p.forenames,
                    iso(p.dob),
                    p.gender if rng.random() < 0.9 else "",
                    p.pnc,
                    period.est,
                    iso(period.start),
                    iso(period.end),
                    period.cell if rng.random() < 0.9 else "",
                ]
            )
    return rows


def _staff_rows(w: World) -> list[list[str]]:
    rng = w.rng("write:staff")
    rows = []
    for s in w.staff:
        dob = iso(s.dob) if rng.random() < 0.9 else ""
        for post in s.posts:
            rows.append(
                [
                    s.number,
                    s.surname,
                    s.forenames,
                    dob,
                    post.est,
                    post.role,
                    iso(post.start),
                    iso(post.end),
                    N.postcode_as_written(rng, s.postcode),
                ]
            )
    return rows


def _person_rows(w: World) -> list[list[str]]:
    rng = w.rng("write:persons")
    return [
        [p.ref, p.surname, p.forenames, iso(p.dob), p.pnc, N.postcode_as_written(rng, p.postcode) if p.postcode else ""]
        for p in w.persons
    ]


def _phone_rows(w: World) -> list[list[str]]:
    rng = w.rng("write:phones")
    pb = w.phones
    assert pb is not None
    rows = [[pb.written(rng, r[0]), *r[1:]] for r in w.phone_rows]
    rng.shuffle(rows)
    return rows


def generate_world(scale: str, seed: int, out_dir: Path, progress: bool = False) -> dict[str, int]:
    """Write every input file of the spec plus ``ground_truth.json`` into ``out_dir``.

    Returns ``{file name: data rows written}`` (bad and duplicate rows included). The same
    scale and seed always give byte-identical files.
    """
    sc = get_scale(scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # The world is millions of long-lived objects: keep the cyclic GC from rescanning them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(sc, seed, out, progress)
    finally:
        gc.unfreeze()
        if gc_was_enabled:
            gc.enable()


def _generate(sc, seed: int, out: Path, progress: bool) -> dict[str, int]:
    with _progress(progress) as bar:

        def task(description: str, total: int | None):
            """An advance(n) callback for one bar; advance(-1) marks it complete."""
            if bar is None:
                return lambda n: None
            t = bar.add_task(description, total=total)
            return lambda n: bar.update(t, completed=total) if n < 0 else bar.advance(t, n)

        step = task("building world", 2)
        w = build_world(sc, seed)
        step(1)
        plant_truth(w)
        step(1)
        gc.freeze()
        files = _Files(w, out)

        tick = task("writing small files", 8)
        sink = files.sink("establishments.csv")
        for e in w.establishments:
            sink.write([e["establishment_code"], e["name"], e["region"], e["category"]])
        sink.close()
        files.counts["establishments.csv"] = sink.rows
        sink = files.sink("ocgs.csv")
        for o in w.ocgs:
            sink.write([o.urn, o.name, o.band, o.crime])
        sink.close()
        files.counts["ocgs.csv"] = sink.rows
        tick(2)
        files.write_rows("prisoners.csv", _prisoner_rows(w), w.new_prison_number)
        tick(1)
        files.write_rows("staff.csv", _staff_rows(w), w.new_staff_number)
        tick(1)
        files.write_rows("persons.csv", _person_rows(w), w.new_person_ref)
        tick(1)

        visits_total = sum(p.count for p in w.pairs)
        sink = files.sink("visits.csv")
        advance = task("visits.csv", visits_total)
        write_visits(w, sink, files.bad, advance if bar is not None else None)
        advance(-1)
        sink.close()
        files.counts["visits.csv"] = sink.rows

        files.write_rows("phones.csv", _phone_rows(w))

        sink = files.sink("calls.csv")
        duplicates: list[dict] = []
        advance = task("calls.csv", sc.calls)
        stats = write_calls(w, sink, files.bad, duplicates, advance if bar is not None else None)
        advance(-1)
        sink.close()
        files.counts["calls.csv"] = sink.rows

        rng = w.rng("write:members")
        members = list(w.member_rows)
        rng.shuffle(members)
        files.write_rows("ocg_members.csv", members)
        rng = w.rng("write:links")
        links = list(w.links)
        rng.shuffle(links)
        files.write_rows(
            "links.csv",
            [
                [
                    ln.from_type,
                    ln.from_id,
                    ln.to_type,
                    ln.to_id,
                    ln.link_type,
                    ln.date,
                    ln.source_ref,
                    *ln.grading,
                    ln.notes,
                ]
                for ln in links
            ],
            tags=[ln.tag for ln in links],
        )
        tick(1)
        sink = files.sink("resolutions.csv")
        for row in w.resolutions:
            sink.write(row)
        sink.close()
        files.counts["resolutions.csv"] = sink.rows
        tick(1)

        finalise_stats(w, stats)
        truth = _ground_truth(w, files, duplicates)
        (out / GROUND_TRUTH).write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {file: files.counts[file] for file in FILES}


def _fill_counts(value: Any) -> None:
    """Set every ``calls`` / ``visits`` placeholder next to its id list to the number of ids."""
    if isinstance(value, dict):
        if "call_ids" in value and "calls" in value:
            value["calls"] = len(value["call_ids"])
        if "visit_ids" in value and "visits" in value:
            value["visits"] = len(value["visit_ids"])
        for v in value.values():
            if isinstance(v, dict | list):
                _fill_counts(v)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, dict | list):
                _fill_counts(v)


def _ground_truth(w: World, files: _Files, duplicates: list[dict]) -> dict[str, Any]:
    t = w.truth
    _fill_counts(t["corrupt_staff"])
    for hub in t["hubs"]:
        if hub["kind"] == "phone":
            hub["calls"] = len(hub["call_ids"])
        else:
            hub["visits"] = len(hub["visit_ids"])
    decoys = t["decoys"]
    _fill_counts(decoys)
    for d in decoys["staff_family_in_custody"] + decoys["declared_relative_ocg"]:
        d["family_link_row"] = d.pop("family_link")["link_row"]
    for d in decoys["false_allegations"]:
        d["link_row"] = d.pop("link")["link_row"]
    bad = sorted(files.bad, key=lambda b: (FILES.index(b["file"]), b["line"]))
    return {
        "scale": w.scale.name,
        "seed": w.seed,
        "window": {"start": WINDOW_START.isoformat(), "end": WINDOW_END.isoformat()},
        "corrupt_staff": t["corrupt_staff"],
        "hubs": t["hubs"],
        "same_person": t["same_person"],
        "not_same": t["not_same"],
        "decoys": decoys,
        "bad_rows": bad,
        "duplicates": duplicates,
        "encoding": {"bom": [BOM_FILE], "extra_columns": EXTRA_COLUMNS},
        "counts": {file: files.counts[file] for file in FILES},
    }
