"""What a hook's own project pays to install mock-okta (issue 19 item 12): a fresh venv, a wheel built from a checkout,
`pip install "<wheel>[extra]"` timed, then the venv's size on disk and its package count.

    python benchmarks/consumer_install.py [--ref COMMIT] [--extra pytest --extra browser ...] [--runs 2]

pip's cache is allowed (as on a developer's machine or a CI runner with a cache), so the first run of an extra may
download what later runs take from the cache; every run is kept in the JSON. The registries must be reachable. A
run also checks that what was installed works: `mock-okta --help`, and with pytest the plugin's `--okta-hook-url`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(ref: str, into: Path) -> Path:
    """The project's wheel at a commit of this repository, built without its dependencies from an exported copy
    (building in the checkout would leave build/ and *.egg-info there)."""
    source = into / "source"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(into), str(source)],
        check=True,
    )
    [wheel] = into.glob("mock_okta-*.whl")
    return wheel


def size_on_disk(folder: Path) -> int:
    """Bytes of every file under `folder` (symlinks not followed: the venv's python links to the system's)."""
    total = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def install(wheel: Path, extra: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="consumer-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        target = f"{wheel}[{extra}]" if extra else str(wheel)
        started = time.perf_counter()
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", target], check=True)
        seconds = time.perf_counter() - started
        listed = subprocess.run(
            [str(python), "-m", "pip", "list", "--format", "json"], check=True, capture_output=True, text=True
        )
        works = subprocess.run([str(venv / "bin" / "mock-okta"), "--help"], capture_output=True).returncode == 0
        if (venv / "bin" / "pytest").exists():
            plugin = subprocess.run([str(venv / "bin" / "pytest"), "--help"], capture_output=True, text=True, cwd=tmp)
            works = works and "--okta-hook-url" in plugin.stdout
        return {
            "extra": extra or "(none)",
            "seconds": round(seconds, 1),
            "megabytes": round(size_on_disk(venv) / 1e6, 1),
            "packages": len(json.loads(listed.stdout)),
            "works": works,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="the commit to build the wheel from (default: HEAD)")
    parser.add_argument("--extra", action="append", help="an extra to install (repeatable; '' for none)")
    parser.add_argument("--runs", type=int, default=2, help="installs per extra, each into a fresh venv")
    parser.add_argument("--json", type=Path, help="append the runs to this file")
    args = parser.parse_args()
    extras = args.extra if args.extra is not None else ["pytest", "browser"]
    with tempfile.TemporaryDirectory(prefix="wheel-") as tmp:
        wheel = build_wheel(args.ref, Path(tmp))
        runs = [install(wheel, extra) for extra in extras for _ in range(args.runs)]
    for extra in extras:
        mine = [r for r in runs if r["extra"] == (extra or "(none)")]
        print(
            f"{extra or '(none)':10} median {statistics.median(r['seconds'] for r in mine):6.1f} s "
            f"{statistics.median(r['megabytes'] for r in mine):7.1f} MB {mine[0]['packages']:4d} packages "
            f"works: {all(r['works'] for r in mine)}  runs: {[r['seconds'] for r in mine]}"
        )
    if args.json:
        kept = json.loads(args.json.read_text()) if args.json.exists() else []
        kept.append({"ref": args.ref, "date": time.strftime("%Y-%m-%d"), "runs": runs})
        args.json.write_text(json.dumps(kept, indent=2) + "\n")


if __name__ == "__main__":
    main()
