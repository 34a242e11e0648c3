"""Sphinx configuration of the skdenoise documentation.

Build with ``bash scripts/docs.sh`` (warnings are errors), or directly::

    sphinx-build -W --keep-going -b html docs docs/_build/html

Add ``-D plot_gallery=0`` to build the gallery pages without running the
examples.
"""

import os
import sys
from pathlib import Path

# Before anything imports TensorFlow: fewer C++ start-up notices in the log.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))

# sphinx-gallery links the names that examples use, such as
# HalvingGridSearchCV, even where it does not run them (-D plot_gallery=0, or
# an unchanged example): scikit-learn's experimental estimators must be
# enabled for their names to resolve, as in scikit-learn's own docs.
from sklearn.experimental import enable_halving_search_cv  # noqa: F401

import skdenoise

# -- Project ---------------------------------------------------------------

project = "skdenoise"
author = "The skdenoise developers"
copyright = "The skdenoise developers"
release = skdenoise.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    # The package's source, highlighted, with a [source] link on every
    # documented object: the docs are the repository's browsable copy.
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # Fails the build on code lines wider than the page's text column.
    "code_line_length",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_intersphinx",
    "sphinxext",
    "Thumbs.db",
    ".DS_Store",
]
root_doc = "index"
default_role = "literal"
# Straight quotes, as in code: numpydoc types read `default="auto"`.
smartquotes = False
# The page's table of contents lists methods as "fit()", not with the class.
toc_object_entries_show_parents = "hide"
pygments_style = "sphinx"

# -- API reference: autodoc, autosummary, numpydoc --------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# Methods are listed by numpydoc's summary table and documented by autodoc
# on the same page; a toctree per class would only duplicate them.
numpydoc_class_members_toctree = False
numpydoc_show_class_members = True
# Estimators list the methods they inherit from scikit-learn (get_params,
# set_output...); the exception does not list those of RuntimeError.
numpydoc_show_inherited_class_members = {"skdenoise.TrainingDivergedError": False}
numpydoc_attributes_as_param_list = True
# Parameter types become links, but only the words listed here: the rest of
# a type ("of shape", "default=") stays plain text.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    # scikit-learn's glossary
    "array-like": ":term:`array-like`",
    "estimator": ":term:`estimator`",
    "estimator instance": ":term:`estimator instance`",
    "transformer": ":term:`transformer`",
    "RandomState": ":class:`~numpy.random.RandomState`",
    "Bunch": ":class:`~sklearn.utils.Bunch`",
    # NumPy, pandas, Python
    "ndarray": ":class:`numpy.ndarray`",
    "DataFrame": ":class:`pandas.DataFrame`",
    "path-like": ":term:`path-like <path-like object>`",
    "int": ":class:`int`",
    "float": ":class:`float`",
    "bool": ":class:`bool`",
    "str": ":class:`str`",
    "dict": ":class:`dict`",
    "list": ":class:`list`",
    "tuple": ":class:`tuple`",
    "None": ":data:`None`",
    # Keras
    "keras.Model": ":class:`keras.Model`",
    "keras.callbacks.Callback": ":class:`keras.callbacks.Callback`",
    # this package
    "DenoisingAutoencoder": ":class:`~skdenoise.DenoisingAutoencoder`",
    "DenoisingDisplay": ":class:`~skdenoise.display.DenoisingDisplay`",
    "TrainingCurveDisplay": ":class:`~skdenoise.display.TrainingCurveDisplay`",
}

# -- Links to other projects, offline ---------------------------------------
# Every inventory is a local file of docs/_intersphinx (see its README.md):
# the build never downloads one. The URLs are only used to write the links.

intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", "_intersphinx/python-objects.inv"),
    "sklearn": ("https://scikit-learn.org/stable/", "_intersphinx/sklearn-objects.inv"),
    # The same site as "sklearn"; Sphinx wants each base URL spelled once.
    "sklearn-newer": (
        "https://scikit-learn.org/stable",
        "_intersphinx/sklearn-newer-objects.inv",
    ),
    "keras": ("https://keras.io/", "_intersphinx/keras-objects.inv"),
    "numpy": ("https://numpy.org/doc/stable/", "_intersphinx/numpy-objects.inv"),
    "pandas": ("https://pandas.pydata.org/docs/", "_intersphinx/pandas-objects.inv"),
    "matplotlib": ("https://matplotlib.org/stable/", "_intersphinx/matplotlib-objects.inv"),
}

# -- Gallery ----------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "gallery_order.ExampleOrder",
    # "Examples using this class" on every API page.
    "doc_module": ("skdenoise",),
    "backreferences_dir": "gen_modules/backreferences",
    # Estimators show as scikit-learn's diagrams, like in its own gallery.
    "capture_repr": ("_repr_html_", "__repr__"),
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "min_reported_time": 1,
    "show_signature": False,
}

# -- HTML -------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skdenoise {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "navbar_end": ["source-link", "theme-switcher", "navbar-icon-links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {
    "index": [],
    "getting_started": [],
    "benchmarks": [],
}
html_show_sourcelink = False
# The user guide was one page, user_guide.html: that address still leads to
# the section it named, now on a page of its own.
html_extra_path = ["_extra"]
