"""
==============================================
Deploying a pipeline: skops files and ONNX
==============================================

A model goes to production as the whole pipeline that was fitted, not as
the autoencoder alone. This example fits
``StandardScaler → DenoisingAutoencoder → LogisticRegression`` on digits,
then ships it in the two ways of the scikit-learn ecosystem:

- a :mod:`skops.io` file, which loads without running code from the file,
  once the types it holds are trusted;
- an ONNX graph from :func:`skdenoise.onnx.to_onnx`, which runs in ONNX
  Runtime without Python, TensorFlow or skdenoise.

Both give the same outputs as the fitted pipeline; the ONNX graph answers a
one-sample request many times faster. Needs ``pip install
"skdenoise[onnx]" skops``.
"""

# %%
# The pipeline
# ------------
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder
from skdenoise.datasets import load_mnist_sample

X, y = load_mnist_sample(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X[:2000], y[:2000], test_size=500, stratify=y[:2000], random_state=0
)
pipe = make_pipeline(
    StandardScaler(),
    DenoisingAutoencoder(latent_dim=32, epochs=3, random_state=0),
    LogisticRegression(max_iter=500),
)
pipe.fit(X_train, y_train)
print(f"Test accuracy: {pipe.score(X_test, y_test):.3f}")

# %%
# Saving with skops
# -----------------
#
# :func:`skops.io.dump` writes the pipeline as data. The autoencoder hands
# over plain values, arrays and its Keras model as the bytes of a ``.keras``
# archive. Before loading, :func:`skops.io.get_untrusted_types` lists the
# types the file holds beyond those skops trusts itself: here, only
# skdenoise's own classes.
import tempfile
from pathlib import Path

import skops.io as sio

path = Path(tempfile.mkdtemp()) / "pipeline.skops"
sio.dump(pipe, path)
untrusted = sio.get_untrusted_types(file=path)
print(*untrusted, sep="\n")

# %%
# Check the list, then load with it. The Keras model inside is loaded with
# the checks of :func:`skdenoise.load`: Keras's safe mode, and only the
# layers skdenoise builds. A file whose model was swapped for one with a
# ``Lambda`` layer or a custom object is refused with a ``ValueError``
# before anything in it runs.
loaded = sio.load(path, trusted=untrusted)
same = np.array_equal(
    loaded.predict_proba(X_test), pipe.predict_proba(X_test)
)
print(f"Identical probabilities after loading: {same}")

# %%
# Exporting to ONNX
# -----------------
#
# :func:`~skdenoise.onnx.to_onnx` registers the autoencoder with skl2onnx,
# which converts the whole pipeline into one graph. Float64 input keeps the
# scaler and the classifier in double precision, as in scikit-learn; the
# network computes in float32, as it does in skdenoise.
# ``zipmap=False`` returns the probabilities as one array.
import onnxruntime as ort

from skdenoise.onnx import to_onnx

onnx_model = to_onnx(
    pipe,
    X_train[:1].astype(np.float64),
    options={LogisticRegression: {"zipmap": False}},
)
session = ort.InferenceSession(
    onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
)
X_query = X_test.astype(np.float64)
labels, probabilities = session.run(None, {"X": X_query})
gap = np.abs(probabilities - pipe.predict_proba(X_query)).max()
print(f"Largest difference of the probabilities: {gap:.1e}")
print(f"Same labels: {np.array_equal(labels, pipe.predict(X_query))}")

# %%
# Latency of one request
# ----------------------
#
# The median time of one-sample calls, both ways, taking turns. On its own
# the autoencoder answers faster still; the source repository's
# benchmarks (``benchmarks/results/latency_onnx.md``) time every case, one
# sample and batches, with min, median and max.
import time

import matplotlib.pyplot as plt

one = X_query[:1]
contenders = {
    "scikit-learn pipeline": lambda: pipe.predict_proba(one),
    "ONNX Runtime": lambda: session.run(None, {"X": one}),
}
seconds = {name: [] for name in contenders}
for _ in range(3):  # warm-up
    for call in contenders.values():
        call()
for _ in range(100):
    for name, call in contenders.items():
        start = time.perf_counter()
        call()
        seconds[name].append(time.perf_counter() - start)
medians = {name: 1e3 * np.median(s) for name, s in seconds.items()}
for name, median in medians.items():
    print(f"{name}: {median:.2f} ms")

fig, ax = plt.subplots(figsize=(6, 2))
ax.barh(list(medians), list(medians.values()))
ax.set_xlabel("median milliseconds per one-sample predict_proba")
fig.tight_layout()
