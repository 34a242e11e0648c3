"""The README's self-contained code runs as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_out_of_core_example_runs():
    (block,) = [b for b in _python_blocks() if "Incremental(" in b]
    namespace = {}
    exec(compile(block, str(README), "exec"), namespace)
    assert namespace["model"].estimator_.n_iter_ == 9  # 3 passes over 3 blocks
    assert namespace["codes"].compute().shape == (3000, 4)


def test_readme_tabular_pipeline_with_defaults_runs():
    (block,) = [b for b in _python_blocks() if "make_pipeline(StandardScaler()" in b]
    namespace = {}
    exec(compile(block, str(README), "exec"), namespace)
    model = namespace["model"]
    assert model[1].loss_ == "mean_squared_error"
    assert model[1].noise.clip == "auto"
    assert model.score(namespace["X_test"], namespace["y_test"]) > 0.9
