"""The package's metadata agrees with the package."""

from importlib.metadata import metadata, version

import skdenoise


def test_version_has_one_source():
    assert version("skdenoise") == skdenoise.__version__


def test_license_is_declared():
    assert metadata("skdenoise")["License-Expression"] == "BSD-3-Clause"
