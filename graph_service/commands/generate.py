"""`marsoc generate`: write a synthetic world (CSV exports + ground_truth.json)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from graph_service.commands.common import JsonOption, console, print_json


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate(
        scale: Annotated[str, typer.Option("--scale", help="demo | london | national")] = "demo",
        seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same bytes.")] = 1,
        out: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files and ground_truth.json.")] = Path(
            "data/synthetic"
        ),
        progress: Annotated[
            bool | None,
            typer.Option("--progress/--no-progress", help="Progress bars on stderr (default: not for demo)."),
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Generate a synthetic intelligence world with planted truth for testing and demos."""
        from graph_service.synthetic import SCALES, generate_world

        if scale not in SCALES:
            raise typer.BadParameter(f"choose one of {', '.join(SCALES)}", param_hint="--scale")
        started = time.perf_counter()
        counts = generate_world(scale, seed, out, progress=(scale != "demo") if progress is None else progress)
        elapsed = time.perf_counter() - started
        if as_json:
            print_json({"scale": scale, "seed": seed, "out": str(out), "seconds": round(elapsed, 2), "counts": counts})
            return
        console.print(f"[bold]Generated[/bold] {scale} world (seed {seed}) in {elapsed:.1f}s -> {out}")
        for file, rows in counts.items():
            console.print(f"  {file:<18} {rows:>10,} rows")
        console.print(f"  ground truth: {out / 'ground_truth.json'}")
