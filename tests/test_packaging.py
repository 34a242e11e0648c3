"""The package's metadata agrees with the package."""

import ast
import inspect
import re
import subprocess
import sys
import zipfile
from importlib.metadata import metadata, packages_distributions, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import skdenoise

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_version_has_one_source():
    assert version("skdenoise") == skdenoise.__version__


def test_license_is_declared():
    assert metadata("skdenoise")["License-Expression"] == "BSD-3-Clause"


def test_installed_keras_is_within_the_declared_bounds():
    tomllib = pytest.importorskip("tomllib", reason="tomllib comes with Python 3.11")
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    (keras,) = [Requirement(line) for line in dependencies if Requirement(line).name == "keras"]
    # Bounded above: the training steps rely on Keras's private Adam state.
    assert any(spec.operator == "<" for spec in keras.specifier)
    assert keras.specifier.contains(version("keras"))


def test_the_estimator_class_stays_small():
    # Training, model building and persistence live in their own modules;
    # the class keeps validate, build, train, record.
    lines, _ = inspect.getsourcelines(skdenoise.DenoisingAutoencoder)
    assert len(lines) <= 850


def test_getting_started_installs_what_the_examples_import():
    # The getting-started page names one command for the examples: its
    # extras and packages must provide every module the examples import.
    tomllib = pytest.importorskip("tomllib")
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    text = (root / "docs" / "getting_started.rst").read_text()
    (command,) = re.findall(r'``pip install "skdenoise\[([^\]]*)\]"([^`]*)``', text)
    extras, packages = command[0].split(","), command[1].split()
    requirements = list(project["dependencies"]) + packages
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    installed = {_distribution(requirement) for requirement in requirements}
    assert "skdenoise" not in installed  # extras of extras are not expanded

    imported = set()
    for example in (root / "examples").glob("*.py"):
        tree = ast.parse(example.read_text())
        # An import guarded by `except ImportError` is optional: the example
        # runs without it (BM3D, of the benchmarks extra, say).
        optional = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers)
            for statement in node.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    providers = packages_distributions()
    missing = {
        module
        for module in imported - set(sys.stdlib_module_names) - {"skdenoise"}
        if not {_distribution(name) for name in providers[module]} & installed
    }
    assert not missing


def _catches_import_error(handler):
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        getattr(name, "id", None) in ("ImportError", "ModuleNotFoundError") for name in names
    )


def _distribution(requirement):
    """The normalised distribution name of a requirement such as "onnx>=1.17"."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group()
    # TensorFlow's CPU-only wheel provides the same module.
    return re.sub(r"[-_.]+", "-", name).lower().removesuffix("-cpu")


def test_bm3d_stays_in_the_benchmarks_extra():
    # BM3D's licence allows non-commercial use only: a benchmark contender,
    # never something skdenoise or its other extras bring in.
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    holders = [
        name
        for name, requirements in project["optional-dependencies"].items()
        if any(_distribution(requirement) == "bm3d" for requirement in requirements)
    ]
    assert holders == ["benchmarks"]
    assert not any(_distribution(r) == "bm3d" for r in project["dependencies"])
    package = Path(skdenoise.__file__).parent
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "bm3d" for name in names), module


def test_the_wheel_holds_the_ready_models(tmp_path):
    from skdenoise.pretrained import READY_MODELS

    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path)]
    subprocess.run([*command, str(PYPROJECT.parent)], check=True)
    (wheel,) = tmp_path.glob("skdenoise-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    for ready in READY_MODELS.values():
        assert f"skdenoise/pretrained/{ready.file}" in names
