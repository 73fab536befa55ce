"""`make lock-check` (.ci/locks.py): a lock out of date with its .in file fails CI, offline.

Each test works on a copy of the repository's .in and .lock files, changed the way a maintainer would.
"""

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ("requirements.in", "requirements-dev.in", "requirements.lock", "requirements-dev.lock")


def load_locks():
    spec = importlib.util.spec_from_file_location("ci_locks", ROOT / ".ci" / "locks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


locks = load_locks()


@pytest.fixture
def repo(tmp_path):
    for name in FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def append(path, line):
    path.write_text(path.read_text() + line + "\n")


def test_the_committed_locks_match_their_inputs(repo, capsys):
    assert locks.problems(repo) == []
    assert locks.main(["check", "--root", str(repo)]) == 0


def test_a_test_tool_added_without_relocking_fails(repo, capsys):
    append(repo / "requirements-dev.in", "requests-mock")

    assert locks.main(["check", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "requirements-dev.in has changed since requirements-dev.lock was made" in err
    assert "requirements-dev.in names requests-mock, which requirements-dev.lock does not pin" in err
    assert "run `make lock`" in err


def test_a_production_package_added_without_relocking_fails_both_locks(repo):
    append(repo / "requirements.in", "django-csp>=4")

    found = locks.problems(repo)
    assert "requirements.in has changed since requirements.lock was made" in found
    assert "requirements.in has changed since requirements-dev.lock was made" in found
    assert "requirements.in names django-csp, which requirements.lock does not pin" in found


def test_a_comment_changed_in_an_input_also_needs_a_relock(repo):
    """Only the hash can tell: the cheap rule is that any edit of an .in file comes with `make lock`."""
    append(repo / "requirements.in", "# why we pin what we pin")

    assert locks.problems(repo) == ["requirements.in has changed since requirements.lock was made",
                                    "requirements.in has changed since requirements-dev.lock was made"]  # fmt: skip


def test_stamp_after_relocking_passes_again(repo):
    append(repo / "requirements.in", "# a comment")
    locks.stamp(repo)
    assert locks.problems(repo) == []
    assert (repo / "requirements.lock").read_text().count("# input requirements.in sha256=") == 1


def test_locks_that_disagree_on_a_version_fail(repo):
    dev = repo / "requirements-dev.lock"
    dev.write_text(re.sub(r"^django==5\.2\.\d+", "django==5.2.0", dev.read_text(), flags=re.M))

    assert any(
        p.startswith("django is 5.2.") and p.endswith("but 5.2.0 in requirements-dev.lock")
        for p in locks.problems(repo)
    )


def test_a_test_tool_in_the_production_lock_fails(repo):
    prod = repo / "requirements.lock"
    append(prod, "pytest==9.2.0 \\\n    --hash=sha256:" + "0" * 64)

    assert locks.problems(repo) == ["requirements.lock holds pytest, a test tool"]


def test_a_pin_without_a_hash_fails(repo):
    append(repo / "requirements.lock", "tzdata==2026.6")

    assert "requirements.lock pins tzdata without a hash" in locks.problems(repo)


def test_the_production_lock_has_no_test_tools():
    production = locks.pins((ROOT / "requirements.lock").read_text())
    development = locks.pins((ROOT / "requirements-dev.lock").read_text())
    for tool in ("pytest", "pytest-django", "playwright", "hypothesis", "schemathesis", "ruff", "bandit", "pip-tools"):
        assert tool in development
        assert tool not in production
