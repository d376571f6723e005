"""`tutor --help` start-up time beside a bare `python -c pass`, and which heavy modules load.

Target (issue 2): `tutor --help` answers in under 0.3 s on one core, importing neither vosk
nor textual. Run: `.venv/bin/python benchmarks/startup.py [--runs N]`.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pinned, publish, time_command

TARGET_S = 0.3
HEAVY = ("vosk", "textual", "pyttsx3", "pydantic", "sentencepiece")


def loaded_heavy_modules(command: list[str]) -> list[str]:
    """Modules from HEAVY that `command` imports, read from CPython's -X importtime log."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    result = subprocess.run(pinned(command), env=env, capture_output=True, text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    return sorted(name for name in HEAVY if name in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tutor = str(Path(sys.executable).with_name("tutor"))
    cases = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "tutor --help": [tutor, "--help"],
        "tutor lessons check": [tutor, "lessons", "check"],
    }
    rows = []
    for label, command in cases.items():
        timing = time_command(command, args.runs)
        rows.append(
            {"command": label, **timing, "heavy_imports": ",".join(loaded_heavy_modules(command))}
        )
    baseline = rows[0]["median_s"]
    for row in rows:
        row["over_baseline_s"] = row["median_s"] - baseline
    help_row = rows[1]
    passed = help_row["median_s"] < TARGET_S and not help_row["heavy_imports"]
    publish(
        "startup",
        rows,
        ["command", "median_s", "p90_s", "min_s", "over_baseline_s", "heavy_imports"],
        {"target_help_s": TARGET_S, "passed": passed},
    )
    print(f"tutor --help target < {TARGET_S} s, no vosk/textual: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
