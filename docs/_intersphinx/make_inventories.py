"""Write the small, hand-written intersphinx inventories of this folder.

Keras publishes no Sphinx inventory at all (keras.io is not built with
Sphinx), and the docs build must not download the NumPy, pandas and
Matplotlib ones. This script writes ``keras-objects.inv``,
``numpy-objects.inv``, ``pandas-objects.inv`` and ``matplotlib-objects.inv``
from the tables below: only the names that the skdenoise documentation
refers to, each with the address of its page. It also writes
``sklearn-newer-objects.inv``: the few labels of scikit-learn's user guide
that its inherited docstrings name but that are newer than the copied
scikit-learn inventory.

Add a row when a docstring or page starts referring to a new name, then run::

    python docs/_intersphinx/make_inventories.py

The scikit-learn and Python inventories of this folder are real ones, copied
from Debian's documentation packages; see ``README.md``.
"""

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name, Sphinx role, address relative to the base URL in docs/conf.py, and
# for labels the title shown. A "$" in an address stands for the name.
INVENTORIES = {
    # Labels of scikit-learn's user guide newer than the 1.2 inventory of
    # sklearn-objects.inv, named by the docstrings that skdenoise's
    # estimators inherit from scikit-learn (set_output,
    # get_metadata_routing).
    "sklearn-newer": {
        "project": "scikit-learn",
        "version": "1.9",
        "objects": [
            (
                "metadata_routing",
                "std:label",
                "metadata_routing.html#metadata-routing",
                "Metadata Routing",
            ),
            (
                "df_output_transform",
                "std:label",
                "modules/df_output_transform.html#df-output-transform",
                "Pandas/Polars Output for Transformers with set_output API",
            ),
            # New in scikit-learn 1.6, named by the few-labels example.
            ("sklearn.frozen.FrozenEstimator", "py:class", "modules/generated/$.html#$"),
        ],
    },
    "keras": {
        "project": "Keras",
        "version": "3",
        "objects": [
            ("keras.Model", "py:class", "api/models/model/#model-class"),
            ("keras.Sequential", "py:class", "api/models/sequential/#sequential-class"),
            ("keras.Model.fit", "py:method", "api/models/model_training_apis/#fit-method"),
            (
                "keras.Model.save",
                "py:method",
                "api/models/model_saving_apis/model_saving_and_loading/#save-method",
            ),
            (
                "keras.saving.load_model",
                "py:function",
                "api/models/model_saving_apis/model_saving_and_loading/#loadmodel-function",
            ),
            (
                "keras.callbacks.Callback",
                "py:class",
                "api/callbacks/base_callback/#callback-class",
            ),
            (
                "keras.callbacks.EarlyStopping",
                "py:class",
                "api/callbacks/early_stopping/#earlystopping-class",
            ),
            (
                "keras.callbacks.TerminateOnNaN",
                "py:class",
                "api/callbacks/terminate_on_nan/#terminateonnan-class",
            ),
            ("keras.optimizers.Adam", "py:class", "api/optimizers/adam/#adam-class"),
            (
                "keras.datasets.mnist.load_data",
                "py:function",
                "api/datasets/mnist/#loaddata-function",
            ),
            (
                "keras.layers.Conv2D",
                "py:class",
                "api/layers/convolution_layers/convolution2d/#conv2d-class",
            ),
            (
                "keras.layers.Conv2DTranspose",
                "py:class",
                "api/layers/convolution_layers/convolution2d_transpose/#conv2dtranspose-class",
            ),
            ("keras.layers.Dense", "py:class", "api/layers/core_layers/dense/#dense-class"),
            (
                "keras.layers.BatchNormalization",
                "py:class",
                "api/layers/normalization_layers/batch_normalization/#batchnormalization-class",
            ),
        ],
    },
    "numpy": {
        "project": "NumPy",
        "version": "2",
        "objects": [
            ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#$"),
            ("numpy.dtype", "py:class", "reference/generated/numpy.dtype.html#$"),
            ("numpy.random.Generator", "py:class", "reference/random/generator.html#$"),
            ("numpy.random.default_rng", "py:function", "reference/random/generator.html#$"),
            ("numpy.random.RandomState", "py:class", "reference/random/legacy.html#$"),
        ],
    },
    "pandas": {
        "project": "pandas",
        "version": "2",
        "objects": [
            ("pandas.DataFrame", "py:class", "reference/api/$.html#$"),
        ],
    },
    "matplotlib": {
        "project": "Matplotlib",
        "version": "3",
        "objects": [
            ("matplotlib.axes.Axes", "py:class", "api/axes_api.html#$"),
            ("matplotlib.axes.Axes.imshow", "py:method", "api/_as_gen/$.html#$"),
            ("matplotlib.axes.Axes.plot", "py:method", "api/_as_gen/$.html#$"),
            ("matplotlib.figure.Figure", "py:class", "api/_as_gen/$.html#$"),
            ("matplotlib.lines.Line2D", "py:class", "api/_as_gen/$.html#$"),
            ("matplotlib.image.AxesImage", "py:class", "api/image_api.html#$"),
            ("matplotlib.colors.Colormap", "py:class", "api/_as_gen/$.html#$"),
            ("matplotlib.pyplot.subplots", "py:function", "api/_as_gen/$.html#$"),
        ],
    },
}


def inventory_bytes(project, version, objects):
    """Return a Sphinx inventory (format version 2) as bytes."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = []
    for name, role, uri, *title in sorted(objects):
        # Sphinx expands "$" to the name only at the end of the address.
        uri = uri.replace("$.html", f"{name}.html")
        if uri.endswith("#" + name):
            uri = uri[: -len(name)] + "$"
        # Fields: name, domain:role, priority, address, display name ("-":
        # the same as the name).
        lines.append(f"{name} {role} 1 {uri} {title[0] if title else '-'}\n")
    return header.encode() + zlib.compress("".join(lines).encode(), 9)


def main():
    for key, spec in INVENTORIES.items():
        path = HERE / f"{key}-objects.inv"
        path.write_bytes(inventory_bytes(spec["project"], spec["version"], spec["objects"]))
        print(f"Wrote {path.name}: {len(spec['objects'])} objects")


if __name__ == "__main__":
    main()
