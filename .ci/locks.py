"""The dependency locks: stamp them after `pip-compile`, and check they still match their .in files.

    python3 .ci/locks.py stamp   # `make lock` runs this after pip-compile: records each input's sha256
    python3 .ci/locks.py check   # `make lock-check` (CI): offline, standard library only, well under a second

A lock is out of date, and `check` fails, when:
- an input (`requirements.in`, `requirements-dev.in` and the .in files they include with `-r`) has
  changed since the lock was made: its sha256 differs from the one in the lock's header;
- a package named in an input is not pinned in the lock, or a pin has no hash;
- the two locks pin one package at different versions (development must test what production runs);
- the production lock holds a test tool (TEST_TOOLS): production installs no test runner, linter or fuzzer.
"""

import argparse
import hashlib
import re
import sys
from pathlib import Path

LOCKS = {"requirements.lock": "requirements.in", "requirements-dev.lock": "requirements-dev.in"}
PRODUCTION, DEVELOPMENT = LOCKS
# Packages that only tests and tooling need (the test libraries bs4 and openpyxl are not here: the app
# itself needs them through Wagtail).
TEST_TOOLS = re.compile(
    r"^(pytest|pytest-.+|playwright|axe-playwright-python|hypothesis|schemathesis|factory-boy|faker|ruff|bandit|pip-tools)$"
)
STAMP = "# input {name} sha256={digest}"
STAMP_RE = re.compile(r"^# input (?P<name>\S+) sha256=(?P<digest>[0-9a-f]{64})$", re.M)
STAMP_HEADER = "# Made by `make lock` from the inputs below; `make lock-check` fails when one has changed since."
PIN_RE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>\S+)", re.M)
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def normalise(name):
    """PEP 503: Django, django and django_tasks / django-tasks are the same packages."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path):
    """The logical lines of a requirements file, without comments and continuations."""
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if line:
            yield line


def inputs(root, in_file):
    """`in_file` and every .in file it includes with -r, in order (constraint files are not inputs)."""
    found, todo = [], [in_file]
    while todo:
        name = todo.pop(0)
        if name in found:
            continue
        found.append(name)
        for line in requirement_lines(root / name):
            option = re.match(r"^(-r|--requirement)[\s=]+(\S+)", line)
            if option:
                todo.append(option.group(2))
    return found


def direct_names(root, in_file):
    """The packages the .in file (not its includes) names, normalised."""
    names = set()
    for line in requirement_lines(root / in_file):
        if line.startswith("-"):
            continue
        match = NAME_RE.match(line)
        if match:
            names.add(normalise(match.group(0)))
    return names


def pins(lock_text):
    return {normalise(m.group("name")): m.group("version") for m in PIN_RE.finditer(lock_text)}


def unhashed(lock_text):
    """Pins without a --hash: each requirement is a logical line once continuations are joined."""
    joined = lock_text.replace("\\\n", " ")
    return [
        m.group("name") for m in PIN_RE.finditer(joined) if "--hash=sha256:" not in joined[m.start() :].split("\n")[0]
    ]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp(root):
    """Put the inputs' sha256 at the top of each lock (replacing an older stamp)."""
    for lock, in_file in LOCKS.items():
        path = root / lock
        body = "\n".join(
            line for line in path.read_text().splitlines() if not STAMP_RE.match(line) and line != STAMP_HEADER
        )
        stamps = [STAMP.format(name=name, digest=digest(root / name)) for name in inputs(root, in_file)]
        path.write_text("\n".join([STAMP_HEADER, *stamps, body]) + "\n")


def problems(root):
    found = []
    locked = {}
    for lock, in_file in LOCKS.items():
        path = root / lock
        if not path.exists():
            found.append(f"{lock} is missing")
            continue
        text = path.read_text()
        locked[lock] = pins(text)
        recorded = {m.group("name"): m.group("digest") for m in STAMP_RE.finditer(text)}
        wanted = inputs(root, in_file)
        for name in wanted:
            if name not in recorded:
                found.append(f"{lock} was not made from {name}")
            elif recorded[name] != digest(root / name):
                found.append(f"{name} has changed since {lock} was made")
        found += [
            f"{lock} was made from {name}, which {in_file} no longer includes" for name in recorded.keys() - set(wanted)
        ]
        for name in wanted:
            found += [
                f"{name} names {package}, which {lock} does not pin"
                for package in sorted(direct_names(root, name) - locked[lock].keys())
            ]
        found += [f"{lock} pins {name} without a hash" for name in unhashed(text)]
    if len(locked) == len(LOCKS):
        production, development = locked[PRODUCTION], locked[DEVELOPMENT]
        for name in sorted(production.keys() & development.keys()):
            if production[name] != development[name]:
                found.append(f"{name} is {production[name]} in {PRODUCTION} but {development[name]} in {DEVELOPMENT}")
        found += [f"{PRODUCTION} holds {name}, a test tool" for name in sorted(production) if TEST_TOOLS.match(name)]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["stamp", "check"])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    if args.action == "stamp":
        stamp(args.root)
        return 0
    found = problems(args.root)
    for problem in found:
        print(f"lock-check: {problem}", file=sys.stderr)
    if found:
        print("lock-check: run `make lock` (needs PyPI) and commit the .in and .lock files together", file=sys.stderr)
        return 1
    print(f"lock-check: {', '.join(LOCKS)} match their inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
