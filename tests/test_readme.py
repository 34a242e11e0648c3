"""Every Python snippet of the README runs as written."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def _numbers(text):
    # Thousands separators are a matter of layout, not of value.
    return {number.replace(",", "") for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def test_benchmark_table_has_at_most_eight_rows():
    assert 1 <= len(_benchmark_rows()) <= 8


@pytest.mark.parametrize("row", _benchmark_rows(), ids=lambda row: row[0][:40])
def test_benchmark_numbers_are_in_the_named_results_file(row):
    # Each row names a lasting benchmark script; every number it reports is
    # copied from that script's committed results table.
    (script,) = re.findall(r"`(\w+)\.py`", row[0])
    assert (ROOT / "benchmarks" / f"{script}.py").is_file()
    results = (ROOT / "benchmarks" / "results" / f"{script}.md").read_text()
    missing = _numbers(" ".join(row[1:])) - _numbers(results)
    assert not missing, f"not in results/{script}.md: {sorted(missing)}"
