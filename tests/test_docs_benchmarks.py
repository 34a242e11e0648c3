"""The documentation's Benchmarks page copies committed results exactly."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.rst"
# Longest literal line that fits the page's text column without scrolling.
MAX_LITERAL_LINE = 72


def _sections():
    """(title, text) of every section below the page's title."""
    # The page's title has a line above it too; section titles do not.
    parts = re.split(r"(?<!=)\n([^\n]+)\n=+\n", PAGE.read_text())
    return list(zip(parts[1::2], parts[2::2]))


def _numbers(text):
    # Thousands separators are a matter of layout, not of value.
    return {number.replace(",", "") for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.mark.parametrize("title, text", _sections(), ids=[title for title, _ in _sections()])
def test_tables_are_copied_from_the_named_results(title, text):
    names = re.findall(r"``benchmarks/results/(\w+)\.md``", text)
    assert names, "the section names no results file"
    results = " ".join((ROOT / "benchmarks" / "results" / f"{n}.md").read_text() for n in names)
    cells = [line for line in text.splitlines() if re.match(r"\s+(\* )?- ", line)]
    assert cells, "the section has no table"
    missing = _numbers(" ".join(cells)) - _numbers(results)
    assert not missing, f"not in {names}: {sorted(missing)}"


@pytest.mark.parametrize("title, text", _sections(), ids=[title for title, _ in _sections()])
def test_every_section_gives_a_command_of_a_kept_script(title, text):
    commands = re.findall(r"\n\.\. code-block:: bash\n\n((?:   .*\n)+)", text)
    assert commands
    for command in commands:
        for script in re.findall(r"benchmarks/(\w+\.py)", command):
            assert (ROOT / "benchmarks" / script).is_file(), script


def test_literal_lines_fit_the_page():
    # Code blocks, indented by three spaces below their directive.
    literal = [
        line[3:].rstrip()
        for block in re.findall(r"::[^\n]*\n\n((?:(?:   .*)?\n)+)", PAGE.read_text())
        for line in block.splitlines()
    ]
    assert literal
    assert max(len(line) for line in literal) <= MAX_LITERAL_LINE
