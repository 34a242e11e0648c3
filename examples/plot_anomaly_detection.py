"""
=================================================
Flagging images that are not digits
=================================================

An autoencoder trained on digits reconstructs digits well and anything else
poorly, so its reconstruction error is an anomaly score.
:meth:`~skdenoise.DenoisingAutoencoder.score_samples` returns it per sample,
as minus the reconstruction loss of the sample as given (nothing is
corrupted): greater means more normal, like
:meth:`sklearn.ensemble.IsolationForest.score_samples`.

The autoencoder is fitted on MNIST digits only. It then scores held-out
digits mixed with two kinds of images that are not digits, made from
scikit-learn's sample photographs and brought to the digits' format (28 x 28
grey levels in [0, 1]): patches of the photographs, and line drawings of the
edges in them, which look more like pen strokes. The ROC AUC measures how
well the scores separate digits from the rest. An
:class:`~sklearn.ensemble.IsolationForest` on the raw pixels is the
baseline. Everything ships with skdenoise's dependencies, so the example
runs offline.
"""

# %%
# Digits to learn from, digits and photographs to score
# ------------------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_sample_images
from sklearn.model_selection import train_test_split

from skdenoise.datasets import load_mnist_sample

X, y = load_mnist_sample(return_X_y=True)
X_train, X_digits = train_test_split(
    X, train_size=2000, test_size=400, stratify=y, random_state=0
)


def photo_patches(n_patches, *, size=84, seed=0):
    """Random square patches of scikit-learn's sample photographs.

    Each patch is turned grey and averaged down to 28 x 28 pixels in
    [0, 1], the format of the digits.
    """
    rng = np.random.RandomState(seed)
    photos = [
        image.mean(axis=2) / 255 for image in load_sample_images().images
    ]
    block = size // 28
    patches = []
    for index in range(n_patches):
        photo = photos[index % len(photos)]
        top = rng.randint(photo.shape[0] - size)
        left = rng.randint(photo.shape[1] - size)
        patch = photo[top : top + size, left : left + size]
        patches.append(patch.reshape(28, block, 28, block).mean(axis=(1, 3)))
    return np.asarray(patches, dtype=np.float32).reshape(n_patches, -1)


def edge_drawings(patches):
    """Bright lines where the patches change, on a black background."""
    images = patches.reshape(-1, 28, 28)
    rows, columns = np.gradient(images, axis=(1, 2))
    edges = np.hypot(rows, columns)
    edges /= edges.max(axis=(1, 2), keepdims=True)
    return edges.reshape(len(patches), -1).astype(np.float32)


others = {
    "photo patches": photo_patches(40, seed=0),
    "edge drawings": edge_drawings(photo_patches(40, seed=1)),
}
X_test = np.vstack([X_digits, *others.values()])
kind = np.repeat(["digit", *others], [len(X_digits), 40, 40])
print(f"{len(X_train)} training digits; to score:")
print(f"{len(X_digits)} held-out digits,")
print(", ".join(f"{len(v)} {k}" for k, v in others.items()))

# %%
# Fit on digits only
# ------------------
#
# The defaults: the digits lie in [0, 1], so ``loss="auto"`` chooses binary
# cross-entropy and a sigmoid output, and the convolutional network is used
# for the 28 x 28 images. A small code and a few epochs keep the example
# fast.
from skdenoise import DenoisingAutoencoder

dae = DenoisingAutoencoder(latent_dim=32, epochs=6, random_state=0)
dae.fit(X_train)
print(f"loss_: {dae.loss_}, architecture_: {dae.architecture_}")

# %%
# Scores and ROC AUC
# ------------------
#
# The ROC AUC is the probability that a random held-out digit scores higher
# (more normal) than a random image of the other kind: 1 separates them
# perfectly, 0.5 is chance.
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

forest = IsolationForest(random_state=0).fit(X_train)
methods = {
    "autoencoder": dae.score_samples(X_test),
    "IsolationForest": forest.score_samples(X_test),
}
print(f"{'ROC AUC against':>16} {'autoencoder':>12} {'IsolationForest':>16}")
for name in [*others, "both"]:
    mask = kind == "digit"
    mask |= kind != "digit" if name == "both" else kind == name
    aucs = [
        roc_auc_score(kind[mask] == "digit", scores[mask])
        for scores in methods.values()
    ]
    print(f"{name:>16} {aucs[0]:>12.3f} {aucs[1]:>16.3f}")

# %%
# Both methods tell the grey photo patches from digits almost perfectly.
# The edge drawings, bright lines on black like the digits, fool the
# IsolationForest more often: their pixel values are digit-like, but their
# shapes are not ones the autoencoder has learnt to reconstruct.
#
# The distributions of the autoencoder's scores:
scores = methods["autoencoder"]
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
bins = np.linspace(scores.min(), scores.max(), 40)
for name in ["digit", *others]:
    ax.hist(scores[kind == name], bins=bins, alpha=0.6, label=name)
ax.set(
    xlabel="score_samples (minus the reconstruction loss)", ylabel="images"
)
ax.legend()
plt.show()

# %%
# The least normal images
# -----------------------
#
# Top row: the eight lowest-scoring held-out digits, the unusual ones
# (thick, cut or oddly shaped strokes). Bottom row: the eight other images
# the autoencoder found most digit-like. Scores are in the titles. The same
# scores rank any new data: a threshold on them, for example a low
# percentile of the training digits' scores, makes a novelty detector.
digits_index = np.flatnonzero(kind == "digit")
others_index = np.flatnonzero(kind != "digit")
rows = [
    digits_index[np.argsort(scores[digits_index])[:8]],
    others_index[np.argsort(scores[others_index])[-8:]],
]
fig, axes = plt.subplots(2, 8, figsize=(10, 3), layout="constrained")
for row, indices in zip(axes, rows, strict=True):
    for ax, index in zip(row, indices, strict=True):
        ax.imshow(X_test[index].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{scores[index]:.2f}", fontsize=9)
        ax.set_axis_off()
plt.show()
