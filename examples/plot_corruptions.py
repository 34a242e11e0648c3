"""
======================================================
Gaussian, masking and salt-and-pepper corruption
======================================================

The papers that introduced denoising autoencoders (Vincent et al., 2008
and 2010) corrupt their inputs in three ways:

- **additive Gaussian noise**, :class:`~skdenoise.GaussianNoiser`: every
  pixel gets noise added, then is clipped to [0, 1];
- **masking noise**, :class:`~skdenoise.MaskingNoiser`: a random fraction
  of each digit's pixels is forced to 0;
- **salt-and-pepper noise**, :class:`~skdenoise.SaltPepperNoiser`: a random
  fraction of each digit's pixels is forced to 0 or 1, each with
  probability one half.

All three are stateless scikit-learn transformers and can be the ``noise``
of a :class:`~skdenoise.DenoisingAutoencoder`. This example shows what each
does to digits, trains one autoencoder per corruption, and compares what
they make of every corruption.
"""

# sphinx_gallery_thumbnail_number = 1

# %%
# The three corruptions
# ---------------------
#
# A few thousand digits from the offline MNIST sample, pixels in [0, 1].
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skdenoise import GaussianNoiser, MaskingNoiser, SaltPepperNoiser
from skdenoise.datasets import load_mnist_sample

X, y = load_mnist_sample(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=2000, test_size=500, stratify=y, random_state=0
)

corruptions = {
    "Gaussian 0.5": GaussianNoiser(noise_factor=0.5),
    "masking 0.25": MaskingNoiser(fraction=0.25),
    "salt-and-pepper 0.2": SaltPepperNoiser(fraction=0.2),
}

# %%
# Each corruption of the test digits is drawn once, with a fixed seed, so
# that every autoencoder below sees the same corrupted digits. Gaussian
# noise greys every pixel; masking erases a quarter of each digit's
# pixels, most of them already black background, so the strokes come out
# broken; salt and pepper sprinkles black and white dots over a fifth of
# the pixels.
from sklearn.base import clone

X_corrupted = {
    name: clone(noiser).set_params(random_state=1).fit_transform(X_test)
    for name, noiser in corruptions.items()
}

_, shown = np.unique(y_test, return_index=True)
rows = {"clean": X_test, **X_corrupted}
fig, axes = plt.subplots(
    len(rows), len(shown), figsize=(8, 3.4), layout="constrained"
)
for axes_row, (name, images) in zip(axes, rows.items(), strict=True):
    for ax, index in zip(axes_row, shown, strict=True):
        ax.imshow(images[index].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
    axes_row[0].set_ylabel(name, rotation=0, ha="right", va="center")
plt.show()

# %%
# One autoencoder per corruption
# ------------------------------
#
# The same network, trained on the same digits, each with its own
# corruption, drawn afresh every epoch: the autoencoder corrupts with a
# copy of its ``noise``, seeded from its own ``random_state`` for every
# epoch. A few epochs suffice for the pictures; longer training sharpens
# every output.
from skdenoise import DenoisingAutoencoder

autoencoders = {
    name: DenoisingAutoencoder(noise=noiser, epochs=8, random_state=0).fit(
        X_train
    )
    for name, noiser in corruptions.items()
}

# %%
# Each autoencoder on its own corruption, the first test digit of each
# class. The Gaussian one cleans the grey haze; the masking one closes the
# broken strokes; the salt-and-pepper one removes the dots and fills the
# holes they punched into the strokes.
from skdenoise.display import DenoisingDisplay
from skdenoise.metrics import peak_signal_noise_ratio

fig = plt.figure(figsize=(10, 9), layout="constrained")
for subfig, name in zip(fig.subfigures(3, 1), corruptions, strict=True):
    denoised = autoencoders[name].predict(X_corrupted[name][shown])
    psnr = peak_signal_noise_ratio(X_test[shown], denoised)
    DenoisingDisplay.from_predictions(
        X_test[shown],
        X_corrupted[name][shown],
        denoised,
        ax=subfig.subplots(3, len(shown)),
        titles=("Clean", "Corrupted", f"Denoised\n{psnr:.1f} dB"),
        vmin=0,
        vmax=1,
    )
    subfig.suptitle(f"Trained on {name}")
plt.show()

# %%
# Every autoencoder on every corruption
# -------------------------------------
#
# The peak signal-to-noise ratio (in dB, higher is better, see
# :func:`~skdenoise.metrics.peak_signal_noise_ratio`) of every autoencoder
# on every corrupted test set. Each does best on the corruption it was
# trained on, where it should: a denoiser learns to undo the corruption it
# has seen. Across corruptions the picture is uneven. Masking only ever
# darkens pixels, so the autoencoder trained on it has never seen the
# bright dots of salt and pepper or the grey haze of Gaussian noise, and
# removes them least well. The one trained on Gaussian noise returns masked
# digits worse than they came in: it was never taught to fill in holes. The
# one trained on salt and pepper, which both darkens and brightens pixels,
# carries over best.
names = list(corruptions)
psnr = np.array(
    [
        [
            peak_signal_noise_ratio(
                X_test, autoencoders[model].predict(X_corrupted[test])
            )
            for test in names
        ]
        for model in names
    ]
)
noisy_psnr = [peak_signal_noise_ratio(X_test, X_corrupted[t]) for t in names]

fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
image = ax.imshow(psnr, cmap="viridis", aspect="auto")
for (i, j), value in np.ndenumerate(psnr):
    color = "black" if value > psnr.mean() else "white"
    ax.text(j, i, f"{value:.1f}", ha="center", va="center", color=color)
wrapped = ["\n".join(name.rsplit(" ", 1)) for name in names]
ax.set_xticks(
    range(len(names)),
    labels=[
        f"{name}\n(input {value:.1f} dB)"
        for name, value in zip(wrapped, noisy_psnr, strict=True)
    ],
)
ax.set_yticks(range(len(names)), labels=[f"trained on\n{n}" for n in names])
ax.set_xlabel("test digits corrupted by")
fig.colorbar(image, label="PSNR (dB)")
plt.show()

# %%
# Choosing the corruption
# -----------------------
#
# The corruption is a parameter of the autoencoder like any other, so
# :class:`~sklearn.model_selection.GridSearchCV` can choose among kinds
# and levels, ``{"noise": [GaussianNoiser(0.5), MaskingNoiser(0.25),
# SaltPepperNoiser(0.1)]}`` or ``{"noise__fraction": [0.1, 0.25, 0.5]}``.
# Give the search a fixed ``score_noise``, the corruption the denoiser is
# meant for: each candidate is then scored on the same task rather than on
# its own corruption. For the codes as features (the papers' main use),
# the benchmark ``benchmarks/corruptions.py`` compares the three
# corruptions with a plain autoencoder.
