"""Instructions per uncached request, counted by valgrind's callgrind: a figure that does not move with the machine.

CPU time per request on this shared machine moves by 10-40% between runs and days with what else runs
on the host, which hides a change of a few per cent. The number of instructions Python executes for a
request does not (two runs of the same tree agree within about 2%), so this compares two trees of the
code on the same database:

    BENCH_KEEP=1 make bench          # or any database through DATABASE_URL, as bench/profile_page.py
    .venv/bin/python bench/instructions.py --base 14a02ce /treatments/underarm-sweating/ / /treatments/

Each path is requested uncached (`?bench=uncached`) in-process (the test client, production settings,
caches warm), under callgrind with instrumentation switched on after start-up; the figure is the slope
between 15 and 45 requests, so start-up and warming drop out. PostgreSQL's own work is not counted
(`make bench` measures it as CPU time). About 40 s per path and tree; needs valgrind (apt).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCACHED = "bench=uncached"


def child(path: str, count: int, flag: str) -> None:
    """Runs under valgrind: warm, say so and wait for instrumentation, then make `count` requests."""
    sys.path.insert(0, str(Path.cwd() / "bench"))
    sys.path.insert(0, str(Path.cwd()))
    import profile_page

    profile_page.setup()
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    for _ in range(10):
        assert client.get(path).status_code == 200
    # As a gunicorn worker does after loading (deploy/gunicorn.conf.py): without it, a full collection
    # over the ~200,000 objects of Django and Wagtail (~40 M instructions) falls inside one count or
    # the other at random, and moves a page's figure by a million instructions or more.
    gc.freeze()
    Path(flag + ".ready").touch()
    while not Path(flag + ".go").exists():
        time.sleep(0.05)
    for _ in range(10):  # code first run under instrumentation costs more: not counted in the slope
        client.get(path)
    for _ in range(count):
        client.get(path)


def instructions(tree: Path, path: str, count: int) -> int:
    """Instructions valgrind counted from switching instrumentation on to the end, for `count` requests."""
    with tempfile.TemporaryDirectory() as work:
        flag = str(Path(work) / "run")
        out = Path(work) / "callgrind.out"
        python = str(ROOT / ".venv" / "bin" / "python")
        argv = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
        argv += [python, str(ROOT / "bench" / "instructions.py"), "--child", path, str(count), flag]
        proc = subprocess.Popen(argv, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while not Path(flag + ".ready").exists():
            if proc.poll() is not None:
                raise SystemExit(f"{path} failed in {tree}:\n{proc.stderr.read()[-2000:]}")
            time.sleep(0.2)
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        Path(flag + ".go").touch()
        proc.wait()
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        return int(totals[-1].split()[1])


def per_request(tree: Path, path: str) -> float:
    """Millions of instructions per request: the slope between 15 and 45 requests."""
    return (instructions(tree, path, 45) - instructions(tree, path, 15)) / 30 / 1e6


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", help="a git revision to compare with (checked out in a temporary worktree)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("Needs valgrind: apt-get install -y valgrind")

    trees = {"this tree": ROOT}
    worktree = None
    if args.base:
        worktree = Path(tempfile.mkdtemp(prefix="vial-base-"))
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.base], cwd=ROOT, check=True)
        trees = {args.base: worktree, **trees}
    try:
        for path in args.paths:
            url = path + ("&" if "?" in path else "?") + UNCACHED
            figures = {name: per_request(tree, url) for name, tree in trees.items()}
            line = ", ".join(f"{name} {value:.2f}" for name, value in figures.items())
            if worktree is not None:
                before, after = figures.values()
                line += f" ({(after - before) / before:+.0%})"
            print(f"{path}: M instructions per uncached request: {line}", flush=True)
    finally:
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
