"""The documentation's Benchmarks page copies committed results exactly."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _results import Table, markdown_tables, numbers, photos_summary, plain, row

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.rst"
# Longest literal line that fits the page's text column without scrolling.
MAX_LITERAL_LINE = 72


def _sections():
    """(title, text) of every section below the page's title."""
    # The page's title has a line above it too; section titles do not.
    parts = re.split(r"(?<!=)\n([^\n]+)\n=+\n", PAGE.read_text())
    return list(zip(parts[1::2], parts[2::2]))


def _list_tables(text):
    """The list-tables of `text`, each a list of rows of cells (header first)."""
    tables = []
    for block in re.findall(
        r"^\.\. list-table::.*\n(?:   :.*\n)*\n((?:(?:   .*)?\n)+)", text, re.M
    ):
        rows = []
        for line in block.splitlines():
            if line.startswith("   * -"):
                rows.append([line[6:].strip()])
            elif line.startswith("     -"):
                rows[-1].append(line[6:].strip())
            elif line.strip():
                rows[-1][-1] += " " + line.strip()
        tables.append(rows)
    return tables


@dataclass
class Source:
    """Where a table of the page comes from.

    results: the results file's name, or a function giving its tables;
    caption: the text above the results table; keys: how many leading
    columns name the row; columns: page column -> results column(s), where
    the names differ; rows: a page key -> the results key (or (caption,
    key)), where they differ.
    """

    results: object
    caption: str = ""
    keys: int = 1
    columns: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)

    def tables(self):
        if callable(self.results):
            return [self.results()]
        return markdown_tables(self.results)

    def expected_row(self, tables, keys, columns):
        caption = self.caption
        keys = [self.rows.get(key, key) for key in keys]
        if isinstance(keys[0], tuple):
            (caption, keys[0]) = keys[0]
        return row(tables, *keys, caption=caption, columns=columns)


def _latency_ranges():
    """latency.md's rounds as ranges, one row per call and version, as the page gives them."""
    grouped = {}
    for table in markdown_tables("latency"):
        for cells in table.rows:
            cells = dict(zip(table.header, cells, strict=True))
            version = {"current": "now", "baseline": "before"}[cells["skdenoise"]]
            call = f"{cells['Network'].split()[0]} {cells['Method']}"
            grouped.setdefault((call, version), []).append(cells)
    header = ["Call", "Version", "median", "p99", "worst", "worst CPU"]
    rows = []
    for (call, version), rounds in grouped.items():
        ranges = []
        for column in header[2:]:
            values = sorted((cells[column] for cells in rounds), key=float)
            ranges.append(f"{values[0]}–{values[-1]}")
        rows.append([call, version, *ranges])
    return Table("latency ranges", header, rows)


_SPEED = {
    "Samples/s, fastest / median epoch": (
        "Samples/s (fastest epoch)",
        "Samples/s (median epoch)",
    ),
    "Speed-up, fastest / median": (
        "skdenoise speed-up (fastest)",
        "skdenoise speed-up (median)",
    ),
}
_CORRUPTION = {"G": "Gaussian", "M": "masking", "S": "salt-and-pepper"}
_CORRUPTIONS = {
    f"{a} {level}": f"{name} {level}"
    for a, name in _CORRUPTION.items()
    for level in ["0.1", "0.25", "0.3", "0.5"]
}
_FEW_LABELS_CASES = "(table, seed) cases better/equal/worse"

# Per section of the page, the source of each of its tables, in order.
SOURCES = {
    "Denoising quality": [
        Source("quality", columns={"vs PCA (dB)": "vs PCA(128) (dB)"}),
        Source(
            "quality",
            columns={"Clean test": "Accuracy, clean test", "Noisy test": "Accuracy, noisy test"},
        ),
    ],
    "Corruptions": [
        Source("corruptions", columns={"vs plain autoencoder": "vs plain AE, points [95% CI]"}),
        Source(
            "corruptions",
            columns=_CORRUPTIONS,
            rows={
                **{short: f"trained on {name}" for short, name in _CORRUPTIONS.items()},
                "no noise": "plain autoencoder (noise=None)",
                "input": "corrupted input (no denoising)",
            },
        ),
    ],
    "Photos": [
        Source(
            photos_summary,
            columns={
                "Best classical, mean (dB)": "best classical",
                "``fully_conv`` margin (dB)": "fully_conv margin",
                "Photos it wins": "fully_conv won",
                "Blind margin (dB)": "blind margin",
                "Best without BM3D (dB)": "best without BM3D",
                "``fully_conv`` margin without BM3D (dB)": "fully_conv margin without BM3D",
                "Photos it wins without BM3D": "fully_conv won without BM3D",
            },
        ),
        Source(
            "photos",
            caption="Large photos",
            columns={"Seconds": "predict s", "Seconds per megapixel": "s per megapixel"},
        ),
    ],
    "Full MNIST": [Source("full_mnist")],
    "Speed": [
        Source("speed", caption="no validation", columns=_SPEED),
        Source("speed", caption="10% held out", columns=_SPEED),
        Source(
            "speed",
            keys=2,
            columns={
                "Speed-up vs Model.predict": "Speed-up vs Keras Model.predict (default batch)",
            },
        ),
        Source("speed", caption="Fit time against training samples"),
    ],
    "Fixed cost per fit": [
        Source("overhead", keys=2, caption="Whole one-epoch fits"),
        Source("overhead", keys=2, caption="First fit in a fresh process"),
    ],
    "Grid search": [
        Source(
            "grid_search",
            columns={"Epochs": "Epochs trained"},
            rows={"Halving, over epochs": "HalvingGridSearchCV(resource='epochs')"},
        ),
        Source(
            "grid_search_tabular",
            columns={"Wall, min / median / max (s)": "Wall s (min / median / max)"},
            rows={"Halving, over epochs": "HalvingGridSearchCV(resource='dae__epochs')"},
        ),
    ],
    "Memory": [
        Source(
            "memory",
            rows={
                "skdenoise transform, memmap": "skdenoise_transform_memmap",
                "Keras encoder.predict, memmap": "keras_predict",
                "skdenoise transform, in memory": "in_memory",
            },
        ),
    ],
    "Latency": [Source(_latency_ranges, keys=2)],
    "ONNX Runtime against skdenoise": [
        Source("latency_onnx", keys=2, caption="1 sample: "),
        Source("latency_onnx", keys=2, caption="1,000 samples: "),
    ],
    "Tabular data": [
        Source(
            "tabular",
            keys=2,
            columns={
                "Accuracy": "accuracy (mean ± std over folds)",
                "Minus PCA": "minus PCA, paired (folds better/worse)",
            },
            rows={
                "breast cancer": "breast_cancer (569×30, 2 classes)",
                "wine": "wine (178×13, 3 classes)",
                "digits": "digits (1797×64, 10 classes)",
            },
        ),
    ],
    "Noisy data alone": [Source("noisy_only")],
    "Noisy photos alone": [Source("noisy_only_photos")],
    "Few labels": [
        Source(
            "semi_supervised",
            columns={f"L = {n}": f"L={n}" for n in [50, 100, 250, 1000]} | {"All": "L=all"},
            rows={
                "default codes − PCA(k), logistic": (
                    "PCA at the same k, logistic",
                    _FEW_LABELS_CASES,
                ),
                "default codes − PCA(k), boosting": (
                    "PCA at the same k, gradient",
                    _FEW_LABELS_CASES,
                ),
                "``cv_union`` − raw": ("CV-chosen union", _FEW_LABELS_CASES),
                "``cv_autoencoder`` − raw": ("contender − raw", _FEW_LABELS_CASES),
                "``cv_autoencoder`` − ``cv_pca``": (
                    "contender − CV-chosen PCA",
                    _FEW_LABELS_CASES,
                ),
            },
        ),
        Source(
            "semi_supervised",
            caption="CV-chosen union",
            columns={"``cv_union`` − raw": "L=100"},
        ),
    ],
}


def test_every_section_has_its_sources():
    assert sorted(SOURCES) == sorted(title for title, _ in _sections())


@pytest.mark.parametrize("title, text", _sections(), ids=[title for title, _ in _sections()])
def test_tables_are_copied_from_their_results_rows(title, text):
    # Every number of a table's cell is the one in the same place (row and
    # column) of the results table it is copied from.
    names = re.findall(r"``benchmarks/results/(\w+)\.md``", text)
    assert names, "the section names no results file"
    tables, sources = _list_tables(text), SOURCES[title]
    assert len(tables) == len(sources)
    for (header, *rows), source in zip(tables, sources, strict=True):
        assert callable(source.results) or source.results in names
        results = source.tables()
        columns = {c: source.columns.get(c, c) for c in header[source.keys :]}
        wanted = [
            m
            for mapped in columns.values()
            for m in ((mapped,) if isinstance(mapped, str) else mapped)
        ]
        keys = [""] * source.keys
        for cells in rows:
            # A blank key continues the one above it.
            keys = [cell or key for cell, key in zip(cells, keys)]
            expected = source.expected_row(results, keys, wanted)
            for column, cell in zip(header[source.keys :], cells[source.keys :], strict=True):
                mapped = columns[column]
                mapped = (mapped,) if isinstance(mapped, str) else mapped
                copied = [n for m in mapped for n in numbers(expected[plain(m)])]
                assert numbers(cell) == copied, (keys, column)


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
