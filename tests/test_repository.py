"""Facts about the repository itself, read from git."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Benchmarks support the package; they should not outgrow it. Retired
# one-off probes stay in git history, their results files in the tree.
MAX_BENCHMARKS_SHARE = 0.25


def tracked_python_files():
    """Paths of the Python files git tracks, or skip outside a git checkout."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / name for name in result.stdout.split("\0") if name]


def code_lines(path):
    """Non-blank lines: code, comments and docstrings all count."""
    return sum(1 for line in path.read_text().splitlines() if line.strip())


def test_benchmarks_are_at_most_a_quarter_of_the_code_lines():
    # Measure 1, code lines: non-blank lines of every tracked .py file (the
    # package, tests, benchmarks, examples, docs configuration and extensions).
    files = tracked_python_files()
    lines = {path: code_lines(path) for path in files if path.is_file()}
    benchmarks = sum(n for path, n in lines.items() if path.parts[len(ROOT.parts)] == "benchmarks")
    total = sum(lines.values())
    assert benchmarks > 0, "no benchmark scripts found"
    share = benchmarks / total
    assert share <= MAX_BENCHMARKS_SHARE, (
        f"benchmarks/ holds {benchmarks:,} of {total:,} code lines ({share:.1%})"
    )


def test_benchmarks_are_at_most_a_quarter_of_package_and_benchmarks():
    # Measure 2, the stricter one: every line, blank ones included, of the
    # benchmark scripts (benchmarks/*.py) against those of the package's
    # modules (skdenoise/**.py, subpackages included) and the benchmark
    # scripts together.
    files = [path for path in tracked_python_files() if path.is_file()]
    folders = {"benchmarks": lambda path: path.parent == ROOT / "benchmarks"}
    folders["skdenoise"] = lambda path: (ROOT / "skdenoise") in path.parents
    lines = {
        folder: sum(len(path.read_text().splitlines()) for path in files if inside(path))
        for folder, inside in folders.items()
    }
    assert lines["benchmarks"] > 0 and lines["skdenoise"] > 0
    share = lines["benchmarks"] / (lines["benchmarks"] + lines["skdenoise"])
    assert share <= MAX_BENCHMARKS_SHARE, (
        f"benchmarks/*.py hold {lines['benchmarks']:,} lines against "
        f"{lines['skdenoise']:,} in skdenoise/**.py ({share:.1%})"
    )
