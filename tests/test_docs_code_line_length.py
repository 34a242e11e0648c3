"""The docs build warns about code lines wider than the page's text column."""

import io
import sys
import textwrap
from pathlib import Path

import pytest

sphinx_application = pytest.importorskip("sphinx.application")

SPHINXEXT = Path(__file__).resolve().parents[1] / "docs" / "sphinxext"


def _build(tmp_path, source):
    (tmp_path / "conf.py").write_text(
        f'import sys\nsys.path.insert(0, {str(SPHINXEXT)!r})\nextensions = ["code_line_length"]\n'
    )
    (tmp_path / "index.rst").write_text(textwrap.dedent(source))
    warnings = io.StringIO()
    app = sphinx_application.Sphinx(
        tmp_path,
        tmp_path,
        tmp_path / "_build",
        tmp_path / "_doctrees",
        "dummy",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    return warnings.getvalue()


def test_limits_are_those_measured_at_1366_px():
    sys.path.insert(0, str(SPHINXEXT))
    try:
        from code_line_length import max_line_length
    finally:
        sys.path.remove(str(SPHINXEXT))
    # The text column, a class's docstring, a method's docstring.
    assert [max_line_length(depth) for depth in range(3)] == [77, 73, 70]


def test_long_code_lines_warn_and_fitting_ones_do_not(tmp_path):
    fits, too_long = "x" * 77, "y" * 78
    warnings = _build(
        tmp_path,
        f"""
        Title
        =====

        .. code-block:: python

           {fits}

        ::

           {too_long}

        .. py:class:: Thing

           >>> {"z" * 69}
           >>> {"w" * 70}

        >>> {"v" * 60}  # doctest: +SKIP
        """,
    )
    assert warnings.count("code line of") == 2
    assert "code line of 78 characters, longer than the 77" in warnings
    assert "code line of 74 characters, longer than the 73" in warnings
    # The doctest flag is not shown on the page, so it does not count.
    assert "v" * 60 not in warnings
