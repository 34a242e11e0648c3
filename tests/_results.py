"""The committed benchmark results, row by row, for the tests of quoted numbers.

The README and the documentation copy numbers from
``benchmarks/results/*.md`` (and a few from the ``*.json`` records beside
them). Their tests look each number up in the row and column it comes
from, so that a number changed to another one of the same file still fails.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

# Signs count; thousands separators and the typographic minus do not. Digits
# inside a name (BM3D, Noise2Self) are no number; an exponent is part of one.
_NUMBER = re.compile(r"(?<![A-Za-z])[-+\u2212]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    """The numbers written in `text`, in order, as strings."""
    return [n.replace(",", "").replace("\u2212", "-") for n in _NUMBER.findall(text)]


def plain(text):
    """A cell or a title without its markup, in lower case, for matching."""
    return re.sub(r"\*\*|`", "", text).strip().casefold()


@dataclass
class Table:
    """One table of a results file: the line of text above it, its header and rows."""

    caption: str
    header: list
    rows: list

    def find(self, *keys):
        """The rows whose first cells are `keys`, as {column: cell}."""
        keys = [plain(key) for key in keys]
        return [
            dict(zip(self.header, row, strict=True))
            for row in self.rows
            if [plain(cell) for cell in row[: len(keys)]] == keys
        ]


def read(name):
    """The text of ``benchmarks/results/<name>.md``."""
    return (RESULTS / f"{name}.md").read_text()


@functools.cache
def record(name):
    """The JSON record ``benchmarks/results/<name>.json``, parsed."""
    return json.loads((RESULTS / f"{name}.json").read_text())


def line(name, pattern):
    """The groups of the one match of `pattern` in ``benchmarks/results/<name>.md``.

    For the lines of a results file that are not tables.
    """
    found = list(re.finditer(pattern, read(name), flags=re.M))
    assert len(found) == 1, f"{len(found)} matches of {pattern!r} in {name}.md"
    return found[0].groups()


def markdown_tables(name):
    """The tables of ``benchmarks/results/<name>.md``, in order.

    A table's caption is the paragraph above it.
    """
    tables, caption, paragraph, lines = [], "", [], []

    def close():
        if lines:
            cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
            header, _, *rows = cells
            tables.append(Table(caption, header, rows))
            lines.clear()

    for line in read(name).splitlines() + [""]:
        if line.startswith("|"):
            if paragraph:
                caption = " ".join(paragraph)
                paragraph.clear()
            lines.append(line.strip())
            continue
        close()
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            caption = " ".join(paragraph)
            paragraph.clear()
    return tables


def row(tables, *keys, caption="", columns=()):
    """The one row named by `keys` in the tables titled `caption` that have `columns`.

    Headers and keys match without markup and case. Returns {column: cell}
    with the header's own names and also their plain forms.
    """
    wanted = {plain(column) for column in columns}
    found = [
        found_row
        for table in tables
        if plain(caption) in plain(table.caption)
        and wanted <= {plain(column) for column in table.header}
        for found_row in table.find(*keys)
    ]
    assert len(found) == 1, f"{len(found)} rows {keys} under {caption!r} with {sorted(wanted)}"
    (found_row,) = found
    return {**found_row, **{plain(column): cell for column, cell in found_row.items()}}


def photos_summary():
    """The per-σ summary lines of ``photos.md`` as a table, one row per σ.

    Columns: ``best classical`` and ``best without BM3D``; for each model,
    ``<model> margin`` and ``<model> won`` (photos better / photos) against
    the best classical, and the same ending in ``without BM3D``.
    """
    rows, header = [], ["σ", "best classical", "best without BM3D"]
    margin = r"margin (\S+) dB, better on (\d+/\d+), without BM3D (\S+) dB, better on (\d+/\d+)"
    for line in re.findall(r"^- σ = .*$", read("photos"), flags=re.M):
        sigma, rest = re.fullmatch(r"- σ = (\d+): (.*)", line).groups()
        cells = {"σ": sigma}
        best = re.search(r"best classical (\S+) dB on average \((\S+) without BM3D\)", rest)
        cells["best classical"], cells["best without BM3D"] = best.groups()
        for model, *values in re.findall(rf"(\w+) {margin}", rest):
            cells[f"{model} margin"], cells[f"{model} won"] = values[:2]
            cells[f"{model} margin without BM3D"], cells[f"{model} won without BM3D"] = values[2:]
        header += [column for column in cells if column not in header]
        rows.append(cells)
    return Table("photos summary", header, [[cells.get(c, "—") for c in header] for cells in rows])


def photos_fit_seconds():
    """{model: fit seconds} from the per-model lines of ``photos.md``."""
    return dict(re.findall(r"^- (.+?): fit (\d+) s,", read("photos"), flags=re.M))
