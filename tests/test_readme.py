"""Every Python snippet of the README runs as written."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
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
