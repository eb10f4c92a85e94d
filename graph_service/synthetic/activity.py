"""Streams the world's activity: visits and calls, written as they are generated.

Calls are produced one chunk at a time (``scale.chunk_size`` rows) straight into the
CSV writer; only the world model, the small list of planted calls and a handful of
pending duplicate rows are held in memory, never the calls themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from graph_service.synthetic.badrows import makers_for
from graph_service.synthetic.world import DAY0, DAY1, World, iso
from graph_service.synthetic.writer import BadRowPlanter, CsvSink

Progress = Callable[[int], None]


def write_visits(w: World, sink: CsvSink, bad: list[dict], progress: Progress | None = None) -> None:
    rng = w.rng("activity:visits")
    counter = [0]

    def fresh() -> str:
        counter[0] += 1
        return f"VIS{counter[0]:08d}"

    expected = sum(p.count for p in w.pairs)
    planter = BadRowPlanter(
        w.rng("bad:visits"),
        sink,
        makers_for("visits.csv", sink.index, fresh),
        w.scale.bad_rate,
        w.scale.min_bad,
        expected,
    )
    order = list(range(len(w.pairs)))
    rng.shuffle(order)
    from graph_service.synthetic.names import postcode_as_written

    shown = w.postcode_shown
    done = 0
    for n, i in enumerate(order):
        pair = w.pairs[i]
        p = w.prisoners[pair.prisoner]
        v = w.visitors[pair.visitor]
        a, b = pair.window if pair.window is not None else p.span
        for _ in range(pair.count):
            day = rng.randint(a, b)
            visit_id = fresh()
            row = [
                visit_id,
                iso(day),
                p.est_on(day),
                p.number,
                v.ref,
                v.surname,
                v.forenames,
                iso(v.dob) if rng.random() < 0.95 else "",
                postcode_as_written(rng, v.postcode)
                if v.postcode and (pair.visitor in shown or rng.random() < 0.93)
                else "",
                pair.relationship if (pair.tag is not None or rng.random() < 0.95) else "",
            ]
            sink.write(row)
            if pair.tag is not None:
                pair.tag.append(visit_id)
            planter.after_good(row)
        done += pair.count
        if progress is not None and n % 5000 == 4999:
            progress(done)
            done = 0
    planter.finish()
    if progress is not None:
        progress(done)
    bad.extend(planter.records)


def write_calls(
    w: World, sink: CsvSink, bad: list[dict], duplicates: list[dict], progress: Progress | None = None
) -> dict:
    """Write calls.csv; return per-number statistics for the decoy numbers."""
    sc = w.scale
    rng = w.rng("activity:calls")
    pb = w.phones
    assert pb is not None
    national = pb.national
    landline = pb.landline
    from graph_service.synthetic.names import phone_variant

    counter = [0]

    def fresh() -> str:
        counter[0] += 1
        return f"C{counter[0]:09d}"

    planted = list(w.planted_calls)
    rng.shuffle(planted)
    n_dupes = sc.exact_duplicates + sc.conflicting_duplicates
    expected_bad = max(sc.min_bad, round(sc.bad_rate * sc.calls))
    n_background = max(1000, sc.calls - len(planted) - n_dupes - expected_bad)
    planter = BadRowPlanter(
        w.rng("bad:calls"), sink, makers_for("calls.csv", sink.index, fresh), sc.bad_rate, sc.min_bad, n_background
    )
    positions = sorted(rng.randrange(n_background) for _ in planted)
    dup_at: dict[int, str] = {}
    for j in range(n_dupes):
        dup_at[rng.randrange(100, max(200, n_background - 300))] = "exact" if j < sc.exact_duplicates else "conflicting"
    pending: list[tuple[int, list[str], str, int]] = []  # (emit at, row, kind, first line)

    pin_callers = [w.prisoners[k] for k in w.active if w.prisoners[k].span[1] >= w.prisoners[k].span[0]]
    callers = w.callers
    contacts = w.contacts
    handsets = w.handsets
    common = w.common
    samaritans, ombudsman = w.samaritans, w.ombudsman
    owner_kind = w.phone_owner_kind
    est_region = w.est_region
    stats: dict[int, dict] = {
        idx: {"calls": 0, "prisoners": set(), "staff": set(), "ocg": set()}
        for idx in list(w.common_info) + list(w.privileged)
    }
    prisoner_index = {p.number: k for k, p in enumerate(w.prisoners)}
    rand = rng.random
    randrange = rng.randrange

    def fmt(idx: int) -> str:
        return phone_variant(rand(), national[idx], landline[idx])

    def note(callee: int, prisoner_k: int = -1, caller_phone: int = -1) -> None:
        st = stats.get(callee)
        if st is None:
            return
        st["calls"] += 1
        if prisoner_k >= 0:
            st["prisoners"].add(prisoner_k)
            if w.prisoners[prisoner_k].ocg >= 0:
                st["ocg"].add(("prisoner", prisoner_k))
        if caller_phone >= 0:
            kind = owner_kind.get(caller_phone, "")
            if kind == "staff":
                st["staff"].add(caller_phone)
            elif kind == "ocg":
                st["ocg"].add(("phone", caller_phone))

    def clock(lo: int, hi: int) -> str:
        secs = randrange(lo * 3600, hi * 3600)
        return f"T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"

    def emit(row: list[str]) -> int:
        return sink.write(row)

    def emit_planted(item: tuple) -> None:
        row, tag, caller, callee = item
        call_id = fresh()
        emit([call_id, *row])
        tag.append(call_id)
        note(callee, caller_phone=caller if caller is not None else -1)

    pi = 0
    chunk_done = 0
    for i in range(n_background):
        while pi < len(positions) and positions[pi] == i:
            emit_planted(planted[pi])
            pi += 1
        while pending and pending[0][0] <= i:
            _, row, kind, first_line = pending.pop(0)
            line = emit(row)
            duplicates.append(
                {"file": "calls.csv", "call_id": row[0], "kind": kind, "line": line, "first_line": first_line}
            )
            if kind == "conflicting":
                bad.append(
                    {
                        "file": "calls.csv",
                        "line": line,
                        "column": "duration_seconds",
                        "reason": f"duplicate call_id {row[0]} with conflicting duration_seconds",
                        "kind": "duplicate_conflict",
                    }
                )
        r = rand()
        privileged = False
        if r < 0.55 and pin_callers:
            p = pin_callers[randrange(len(pin_callers))]
            day = p.span[0] + randrange(p.span[1] - p.span[0] + 1)
            est = p.est_on(day)
            k = prisoner_index[p.number]
            r2 = rand()
            if r2 < 0.025 or not p.pin:
                callee = p.solicitor
                privileged = True
                duration = 60 + int(rng.expovariate(1 / 600))
            elif r2 < 0.029:
                callee = samaritans if r2 < 0.028 else ombudsman
                privileged = True
                duration = 30 + int(rng.expovariate(1 / 400))
            elif r2 < 0.07:
                pool = common[est_region[est]]
                callee = pool[randrange(len(pool))]
                duration = 10 + int(rng.expovariate(1 / 60))
            else:
                pin = p.pin
                callee = pin[int(len(pin) * rand() * rand())]
                duration = 5 + int(rng.expovariate(1 / 300))
            note(callee, prisoner_k=k)
            row = [
                fresh(),
                "",
                p.number,
                fmt(callee),
                iso(day) + clock(8, 20),
                str(min(duration, 1800)),
                "pin",
                est,
                ("Y" if privileged else ("N" if rand() < 0.7 else "")),
            ]
        elif r < 0.93 or not handsets:
            a = callers[randrange(len(callers))]
            cl = contacts[a]
            if rand() < 0.03:
                b = common[w.regions[randrange(len(w.regions))]][randrange(2)]
                note(b, caller_phone=a)
            else:
                b = cl[randrange(len(cl))]
                if rand() < 0.4:
                    a, b = b, a
            day = DAY0 + randrange(DAY1 - DAY0 + 1)
            row = [
                fresh(),
                fmt(a),
                "",
                fmt(b),
                iso(day) + clock(7, 24),
                str(1 + int(rng.expovariate(1 / 180))),
                "cdr",
                "",
                "N" if rand() < 0.6 else "",
            ]
        else:
            h = handsets[randrange(len(handsets))]
            if rand() < 0.05:
                pool = common[est_region[h.est]]
                b = pool[randrange(len(pool))]
                note(b, prisoner_k=h.prisoner)
            else:
                b = h.contacts[randrange(len(h.contacts))]
            day = h.start + randrange(h.seized - h.start + 1)
            row = [
                fresh(),
                fmt(h.phone),
                "",
                fmt(b),
                iso(day) + clock(0, 24),
                str(1 + int(rng.expovariate(1 / 120))),
                "handset_download",
                h.est,
                "N" if rand() < 0.5 else "",
            ]
        line = emit(row)
        dup_kind = dup_at.pop(i, None)
        if dup_kind is not None and privileged:
            dup_at[i + 1] = dup_kind
            dup_kind = None
        if dup_kind is not None:
            copy = list(row)
            if dup_kind == "conflicting":
                copy[5] = str(int(row[5]) + 1 + randrange(300))
            pending.append((i + 1 + randrange(50), copy, dup_kind, line))
            pending.sort(key=lambda item: item[0])
        else:
            planter.after_good(row)
        chunk_done += 1
        if chunk_done >= sc.chunk_size:
            if progress is not None:
                progress(chunk_done)
            chunk_done = 0
    while pi < len(positions):
        emit_planted(planted[pi])
        pi += 1
    for _, row, kind, first_line in pending:
        line = emit(row)
        duplicates.append(
            {"file": "calls.csv", "call_id": row[0], "kind": kind, "line": line, "first_line": first_line}
        )
        if kind == "conflicting":
            bad.append(
                {
                    "file": "calls.csv",
                    "line": line,
                    "column": "duration_seconds",
                    "reason": f"duplicate call_id {row[0]} with conflicting duration_seconds",
                    "kind": "duplicate_conflict",
                }
            )
    planter.finish()
    if progress is not None:
        progress(chunk_done)
    bad.extend(planter.records)
    return stats


def finalise_stats(w: World, stats: dict) -> None:
    """Fill the decoy-number records with how many calls and which kinds of caller."""
    pb = w.phones
    assert pb is not None
    by_node = {pb.node(idx): st for idx, st in stats.items()}
    for record in w.truth["decoys"]["common_numbers"] + w.truth["decoys"]["privileged_numbers"]:
        st = by_node.get(record["id"])
        if st is None:
            continue
        record["calls"] = st["calls"]
        record["prisoners_calling"] = len(st["prisoners"])
        record["staff_phones_calling"] = len(st["staff"])
        record["ocg_members_calling"] = len(st["ocg"])
