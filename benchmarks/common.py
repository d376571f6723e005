"""Shared plumbing for benchmarks: one-core pinning, timing commands, a table and a JSON file.

Every benchmark measures the tutor beside a baseline in the same run, so the numbers compare
like with like on whatever machine they run on.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def pinned(command: list[str]) -> list[str]:
    """Run on one core, as on the village machines the targets are set for."""
    if shutil.which("taskset"):
        return ["taskset", "-c", "0", *command]
    return command


def time_command(
    command: list[str], runs: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Wall-clock seconds of `runs` runs after one warm-up, as median, p90 and min."""
    full_env = {**os.environ, **(env or {})}
    subprocess.run(pinned(command), env=full_env, capture_output=True, check=True)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(pinned(command), env=full_env, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "median_s": statistics.median(samples),
        "p90_s": samples[min(len(samples) - 1, int(len(samples) * 0.9))],
        "min_s": samples[0],
        "runs": runs,
    }


def publish(
    name: str, rows: list[dict[str, Any]], columns: list[str], extra: dict[str, Any]
) -> Path:
    """Print `rows` as a table and write them, with `extra`, to benchmarks/results/NAME.json."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=name)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    Console(width=max(120, Console().width)).print(table)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "python": sys.version.split()[0], "rows": rows, **extra}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return out


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)
