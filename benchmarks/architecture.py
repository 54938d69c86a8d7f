"""The architecture issue's figures, each against a baseline commit in the same run: fresh clones of both commits
on this machine, then `mock-okta --help` (median of several runs), `make check` and `make test` (wall time of one
run each: they take minutes), and the hook, `fire` and IDX sign-up figures of `run.py` on each checkout.

    .venv/bin/python benchmarks/architecture.py --baseline 72c8606 [--runs 5] [--skip-test] [--skip-run-py]

Everything runs on loopback; the clones live under `benchmarks/.work/architecture/` and are removed afterwards.
Results go to `benchmarks/architecture.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "architecture"


def clone(commit: str, name: str) -> Path:
    target = WORK / name
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", commit], check=True)
    return target


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode, (done.stdout + done.stderr)[-2000:]


def help_seconds(checkout: Path, runs: int) -> dict[str, Any]:
    """`mock-okta --help` and `mock-okta fire --help`, one warm-up run, then `runs` counted."""
    figures: dict[str, Any] = {}
    for label, args in (("help", ["--help"]), ("fireHelp", ["fire", "--help"])):
        command = [str(checkout / ".venv" / "bin" / "mock-okta"), *args]
        timed(command, checkout)
        seconds = [timed(command, checkout)[0] for _ in range(runs)]
        figures[label] = {"median": statistics.median(seconds), "runs": seconds}
    return figures


def make(checkout: Path, target: str) -> dict[str, Any]:
    seconds, code, tail = timed(["make", target], checkout, {"CHROMIUM": "/usr/bin/chromium"})
    return {"seconds": seconds, "exit": code, "tail": tail.splitlines()[-3:]}


def run_py(checkout: Path, runs: int) -> dict[str, Any]:
    """The hook, `fire` and IDX sign-up figures of the checkout's own `benchmarks/run.py`."""
    python = checkout / ".venv" / "bin" / "python"
    command = [str(python), "benchmarks/run.py", "--runs", str(runs), "--only", "hook,fire,idx"]
    seconds, code, tail = timed(command, checkout)
    results = checkout / "benchmarks" / "results.json"
    return {"exit": code, "seconds": seconds, "results": json.loads(results.read_text()) if code == 0 else tail}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="the commit to compare with (e.g. the one before the issue)")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-test", action="store_true", help="leave out `make test` (minutes per checkout)")
    parser.add_argument("--skip-run-py", action="store_true", help="leave out run.py's hook, fire and IDX figures")
    args = parser.parse_args()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.head], capture_output=True, text=True).stdout
    report: dict[str, Any] = {"baseline": args.baseline, "head": head.strip(), "checkouts": {}}
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        for name, commit in (("baseline", args.baseline), ("head", args.head)):
            checkout = clone(commit, name)
            figures: dict[str, Any] = {"setup": make(checkout, "setup")}
            figures.update(help_seconds(checkout, args.runs))
            has_check = "check:" in (checkout / "Makefile").read_text()
            if has_check:
                figures["makeCheck"] = make(checkout, "check")
            if not args.skip_test:
                figures["makeTest"] = make(checkout, "test")
            if not args.skip_run_py:
                figures["runPy"] = run_py(checkout, 3)
            report["checkouts"][name] = figures
            print(json.dumps({name: {k: v for k, v in figures.items() if k != "runPy"}}, indent=2))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    (ROOT / "benchmarks" / "architecture.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
