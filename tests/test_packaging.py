"""The package's metadata agrees with the package."""

import inspect
from importlib.metadata import metadata, version
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
