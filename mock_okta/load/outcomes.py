"""The outcome table of a Locust run of `locustfile`: one row per outcome (ALLOW, DENY, each failure kind, over
budget, unexpected), read from Locust's JSON stats, and whether the run passed its thresholds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SUCCESSES = ("ALLOW", "DENY")


@dataclass(frozen=True)
class Outcome:
    name: str
    calls: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    per_second: float

    @property
    def failed(self) -> bool:
        return self.name not in SUCCESSES


@dataclass(frozen=True)
class LoadReport:
    outcomes: tuple[Outcome, ...]

    @property
    def calls(self) -> int:
        return sum(o.calls for o in self.outcomes)

    @property
    def failed_calls(self) -> int:
        return sum(o.calls for o in self.outcomes if o.failed)

    @property
    def per_second(self) -> float:
        return sum(o.per_second for o in self.outcomes)

    def count(self, name: str) -> int:
        return sum(o.calls for o in self.outcomes if o.name == name)

    def problems(self, *, max_failures: int, max_over_budget: int) -> list[str]:
        """Why the run fails its thresholds: failed calls (every failure kind and unexpected outcomes) beyond
        `max_failures`, answers over the latency budget beyond `max_over_budget`, or no call at all."""
        found = []
        over = self.count("over budget")
        failed = self.failed_calls - over
        if self.calls == 0:
            found.append("no call was made")
        if failed > max_failures:
            found.append(f"{failed} calls failed (allowed: {max_failures})")
        if over > max_over_budget:
            found.append(f"{over} answers were over the latency budget (allowed: {max_over_budget})")
        return found

    def table(self) -> str:
        rows = [("outcome", "calls", "share", "p50 ms", "p95 ms", "p99 ms", "per s")]
        for o in sorted(self.outcomes, key=lambda o: (o.failed, -o.calls)):
            share = f"{100 * o.calls / self.calls:.1f}%" if self.calls else "-"
            rows.append(
                (o.name, str(o.calls), share, f"{o.p50_ms:g}", f"{o.p95_ms:g}", f"{o.p99_ms:g}", f"{o.per_second:.1f}")
            )
        rows.append(("total", str(self.calls), "", "", "", "", f"{self.per_second:.1f}"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        )


def read_report(prefix: str | Path) -> LoadReport:
    """The outcomes in `<prefix>.json` (Locust's `--json-file`, written once the run has ended; its CSV is
    rewritten only every second and misses the last one)."""
    entries = json.loads(Path(f"{prefix}.json").read_text())
    starts = [e["start_time"] for e in entries]
    ends = [e["last_request_timestamp"] or e["start_time"] for e in entries]
    seconds = max(max(ends, default=0) - min(starts, default=0), 1e-9)
    return LoadReport(
        tuple(
            Outcome(
                name=entry["name"],
                calls=entry["num_requests"],
                failures=entry["num_failures"],
                p50_ms=_percentile(entry["response_times"], 0.50),
                p95_ms=_percentile(entry["response_times"], 0.95),
                p99_ms=_percentile(entry["response_times"], 0.99),
                per_second=entry["num_requests"] / seconds,
            )
            for entry in entries
        )
    )


def _percentile(histogram: dict[str, int], share: float) -> float:
    """From Locust's histogram of response times (rounded ms → count)."""
    counts = sorted((float(ms), n) for ms, n in histogram.items())
    total = sum(n for _, n in counts)
    seen = 0
    for ms, n in counts:
        seen += n
        if seen >= share * total:
            return ms
    return 0.0
