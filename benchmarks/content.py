"""Loading and checking the shipped lesson packs, on one core, beside plain TOML parsing.

What a village machine pays at start-up to have the course ready (load: parse, validate and
cross-check every pack), and what a mentor waits for `tutor lessons check` (which also proves
voice fit through the understanding layer). Target: all packs load in under 0.5 s.

Run: `.venv/bin/python benchmarks/content.py`.
"""

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import publish, time_command

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGET_S = 0.5

LOAD = "from tutor.progress.course import usable_packs; usable_packs()"
PARSE = (
    "import tomllib, pathlib\n"
    "for p in pathlib.Path('lessons').rglob('*.toml'): tomllib.loads(p.read_text('utf-8'))"
)
IMPORT_ONLY = "import tutor.progress.course"


def main() -> int:
    files = list((ROOT / "lessons").rglob("*.toml"))
    size = sum(p.stat().st_size for p in files)
    for p in files:
        tomllib.loads(p.read_text("utf-8"))
    rows = []
    for name, command in (
        ("load all packs", [PY, "-c", LOAD]),
        ("baseline: parse the same TOML", [PY, "-c", PARSE]),
        ("baseline: import only", [PY, "-c", IMPORT_ONLY]),
        ("tutor lessons check", [PY, "-m", "tutor", "lessons", "check"]),
    ):
        timing = time_command(command, runs=5)
        rows.append({"what": name, **{k: round(v, 3) for k, v in timing.items()}})
    load = rows[0]["median_s"] - rows[2]["median_s"]
    extra = {
        "files": len(files),
        "bytes": size,
        "load_minus_import_s": round(load, 3),
        "target_s": TARGET_S,
        "passed": rows[0]["median_s"] < TARGET_S,
    }
    publish("content", rows, ["what", "median_s", "p90_s", "min_s", "runs"], extra)
    print(f"{len(files)} files, {size / 1024:.0f} KiB; load beyond imports: {load:.3f} s")
    print(f"targets: {'PASS' if extra['passed'] else 'FAIL'} (all packs load < {TARGET_S} s)")
    return 0 if extra["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
