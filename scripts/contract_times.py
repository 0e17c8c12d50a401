"""Time every call of the contract tests (issue 17's rows) against the 2 s target.

    .venv/bin/python scripts/contract_times.py            # every row
    .venv/bin/python scripts/contract_times.py row12 row19

Each call runs in a worker process (tests/contract_cases.py) under a 60 s limit and is
timed there; the script prints one line per call (seconds, status, label) and the slowest
call of each row, and exits 1 when a call fails or takes over TARGET seconds. CI runs the
same calls under a generous 10 s limit (tests/test_contract.py); this is the tight check,
run by hand on a quiet machine (figures depend on the machine).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

import contract_cases  # noqa: E402

TARGET = 2.0      # seconds a call may take (one page or one command)
LIMIT = 60.0      # seconds before a call counts as a hang


def main(rows: list[str]) -> int:
    worker = contract_cases.Worker()
    bad = 0
    start = time.perf_counter()
    print(f"python {sys.version.split()[0]}, {len(os.sched_getaffinity(0))} cores, "
          f"target {TARGET:.1f} s a call")
    try:
        for row in rows or list(contract_cases.ROWS):
            slowest = (0.0, "")
            for index, (label, _) in enumerate(contract_cases.cases(row)):
                status, seconds, detail = worker.run(row, index, LIMIT)
                over = status == "ok" and seconds > TARGET
                flag = "ok" if status == "ok" and not over else (
                    "SLOW" if over else status.upper())
                bad += flag != "ok"
                print(f"{row:9} {seconds:7.3f} s  {flag:5} {label}")
                if detail:
                    print("          " + detail.strip().splitlines()[-1])
                slowest = max(slowest, (seconds, label))
            print(f"{row:9} slowest: {slowest[0]:.3f} s ({slowest[1]})")
    finally:
        worker.close()
    print(f"{bad} call(s) failed or over {TARGET:.1f} s; "
          f"{time.perf_counter() - start:.1f} s in all")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
