"""Every Python snippet of the README runs as written."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from _results import line, markdown_tables, numbers, photos_fit_seconds, photos_summary, row

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def _block(marker):
    (block,) = [block for block in BLOCKS if marker in block]
    return block


def _run(block):
    namespace = {"__name__": "readme"}
    exec(compile(block, str(README), "exec"), namespace)
    return namespace


# The test of each snippet, by a line that only that snippet has.
MARKERS = {
    "mnist": "load_mnist_sample(return_X_y=True)",
    "tabular": "make_pipeline(StandardScaler()",
    "grid_search": "score_noise=GaussianNoiser(0.5)",
    "incremental": "Incremental(",
    "cluster": "LocalCluster(",
}


def test_every_snippet_has_a_test():
    assert sorted(_block(marker) for marker in MARKERS.values()) == sorted(BLOCKS)


def test_mnist_example_runs():
    namespace = _run(_block(MARKERS["mnist"]))
    assert namespace["X_denoised"].shape == namespace["X_noisy"].shape
    assert namespace["codes"].shape == (len(namespace["X_test"]), 128)


def test_tabular_pipeline_with_defaults_runs():
    namespace = _run(_block(MARKERS["tabular"]))
    model = namespace["model"]
    assert model[1].loss_ == "mean_squared_error"
    assert model[1].noise.clip == "auto"
    assert model.score(namespace["X_test"], namespace["y_test"]) > 0.9


def test_grid_search_runs(capsys):
    namespace = _run(_block(MARKERS["grid_search"]))
    search = namespace["search"]
    assert set(search.best_params_) == {"latent_dim", "noise__noise_factor"}
    assert str(search.best_params_) in capsys.readouterr().out
    # Every candidate was scored on the same corruption.
    assert search.best_estimator_.score_noise.noise_factor == 0.5


def test_out_of_core_example_runs(capsys):
    namespace = _run(_block(MARKERS["incremental"]))
    assert namespace["model"].estimator_.n_iter_ == 9  # 3 passes over 3 blocks
    assert namespace["codes"].shape == (3000, 4)
    assert "(3000, 4) (3000, 4)" in capsys.readouterr().out


def test_cluster_example_runs_as_a_script(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(_block(MARKERS["cluster"]))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'latent_dim':" in result.stdout


@pytest.mark.parametrize("name", ["incremental", "grid_search"])
def test_snippets_define_what_they_use(name):
    # Each snippet stands alone: pasted into a fresh session it runs.
    block = _block(MARKERS[name])
    assert "X_train" not in block


def _benchmark_rows():
    """The rows of the README's benchmark table, as lists of cells."""
    section = README.read_text().split("\n## Benchmarks\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_benchmark_table_has_at_most_eight_rows():
    assert 1 <= len(_benchmark_rows()) <= 8


def _first(cell):
    return numbers(cell)[0]


def _quality():
    tables = markdown_tables("quality")
    psnr = [
        _first(row(tables, name, columns=["PSNR (dB)"])["PSNR (dB)"])
        for name in ["skdenoise DenoisingAutoencoder", "plain Keras (tutorial training)"]
    ]
    pca = "PCA(128) fit on clean train"
    return [*psnr, *numbers(pca)[:1], _first(row(tables, pca)["PSNR (dB)"])]


def _full_mnist():
    tables = markdown_tables("full_mnist")
    return [
        _first(row(tables, measure)["Value"])
        for measure in [
            "Best validation BCE (epoch)",
            "Test PSNR, denoised (dB)",
            "Reference best validation BCE",
        ]
    ]


def _speed():
    tables = markdown_tables("speed")
    column = "Whole fit, min / median / max (s)"
    return [
        numbers(row(tables, trainer, caption="no validation")[column])[1]
        for trainer in ["skdenoise", "plain Keras", "scikeras"]
    ]


def _overhead():
    tables = markdown_tables("overhead")
    return [
        row(tables, data, contender, caption="Whole one-epoch fits")["median"]
        for contender in ["skdenoise", "bare Keras"]
        for data in ["dense", "conv"]
    ]


def _grid_search():
    tables = markdown_tables("grid_search")
    halving = row(tables, "HalvingGridSearchCV(resource='epochs')")
    exhaustive = row(tables, "GridSearchCV")
    # "with the same choice and scores"
    assert halving["Chosen"] == exhaustive["Chosen"] + ", epochs=9"
    for column in ["Best CV score", "Test score", "Test PSNR (dB)"]:
        assert halving[column] == exhaustive[column], column
    return [halving["Wall (s)"], exhaustive["Wall (s)"]]


def _memory():
    tables = markdown_tables("memory")
    ours, keras = row(tables, "skdenoise_transform_memmap"), row(tables, "keras_predict")
    column = "peak heap growth (MB)"
    # "(its output)"
    assert ours[column] == ours["output (MB)"]
    return [ours[column], keras[column]]


def _photos():
    summary, fits = photos_summary(), photos_fit_seconds()
    # fully_conv models: one per noise level and the blind one.
    seconds = [int(s) for model, s in fits.items() if model.startswith(("fully_conv", "blind"))]
    levels = [row([summary], sigma) for sigma in ["15", "25", "50"]]
    (bm3d_seconds,) = line("photos", r"seconds per megapixel \(median\):.* bm3d (\S+)$")
    return [
        str(min(seconds)),
        str(max(seconds)),
        *[level["fully_conv margin"] for level in levels],
        *[numbers(level["fully_conv won"])[0] for level in levels],
        *[level["fully_conv margin without BM3D"] for level in levels],
        *[numbers(level["fully_conv won without BM3D"])[0] for level in levels],
        bm3d_seconds,
        "25",
        row([summary], "25")["conv margin without BM3D"],
    ]


def _semi_supervised():
    tables = markdown_tables("semi_supervised")
    cases = "**(table, seed) cases better/equal/worse**"
    union = "CV-chosen union (raw or raw + autoencoder) − raw"
    union_100 = numbers(row(tables, cases, caption=union)["L=100"])
    union_all = numbers(row(tables, cases, caption=union)["L=all"])
    (union_table,) = [table for table in tables if table.caption == f"## {union}"]
    per_table = [row([union_table], cells[0]) for cells in union_table.rows if cells[0] != cases]
    worse = [cells for cells in per_table if float(numbers(cells["L=100"])[0]) < 0]
    codes_100 = numbers(row(tables, cases, caption="PCA at the same k, logistic")["L=100"])
    return [
        *union_100[:3],
        str(sum(int(n) for n in union_100[:3])),
        union_100[3],
        *union_all[:3],
        str(len(worse)),
        str(len(per_table)),
        *numbers(row(tables, "wa_churn", caption=union)["L=100"])[:2],
        codes_100[0],
        str(sum(int(n) for n in codes_100[:3])),
    ]


# Per script, the numbers its README row quotes, in the row's order, each
# read from the row and column of the results it comes from.
QUOTED = {
    "quality": _quality,
    "full_mnist": _full_mnist,
    "speed": _speed,
    "overhead": _overhead,
    "grid_search": _grid_search,
    "memory": _memory,
    "photos": _photos,
    "semi_supervised": _semi_supervised,
}


@pytest.mark.parametrize("row_cells", _benchmark_rows(), ids=lambda cells: cells[0][:40])
def test_benchmark_numbers_are_copied_from_their_results_rows(row_cells):
    # Each row names a lasting benchmark script; every number it reports is
    # the one in its place in that script's committed results tables.
    (script,) = re.findall(r"`(\w+)\.py`", row_cells[0])
    assert (ROOT / "benchmarks" / f"{script}.py").is_file()
    assert numbers(" ".join(row_cells[1:])) == QUOTED[script]()


def test_every_quoted_benchmark_is_in_the_table():
    named = [re.findall(r"`(\w+)\.py`", cells[0])[0] for cells in _benchmark_rows()]
    assert sorted(named) == sorted(QUOTED)
