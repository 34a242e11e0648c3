"""
===================================
Denoising with PCA and with a DAE
===================================

:class:`~sklearn.decomposition.PCA` can denoise too: fitted on clean data,
it projects a noisy sample onto the few directions in which clean samples
vary, and :meth:`~sklearn.decomposition.PCA.inverse_transform` maps the
projection back to pixels. The noise that falls outside those directions is
removed. A :class:`~skdenoise.DenoisingAutoencoder` instead *learns* to
remove the noise, with a non-linear network trained on corrupted digits.

This example compares the two on held-out MNIST digits, with the peak
signal-to-noise ratio (:func:`~skdenoise.metrics.peak_signal_noise_ratio`,
in dB, higher is better) and with pictures.
"""

# %%
# Data
# ----
#
# Training, validation and test digits from the offline MNIST sample. The
# validation digits choose the number of PCA components; the test digits are
# used only for the comparison.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skdenoise import GaussianNoiser
from skdenoise.datasets import load_mnist_sample
from skdenoise.metrics import peak_signal_noise_ratio

# sphinx_gallery_thumbnail_number = 3
X, y = load_mnist_sample(return_X_y=True)
X_train, X_rest, y_train, y_rest = train_test_split(
    X, y, train_size=2500, test_size=1000, stratify=y, random_state=0
)
X_val, X_test, y_val, y_test = train_test_split(
    X_rest, y_rest, test_size=500, stratify=y_rest, random_state=0
)

NOISE = 0.5


def corrupt(X, noise_factor=NOISE, seed=0):
    """The same seeded Gaussian corruption for both denoisers."""
    noiser = GaussianNoiser(noise_factor=noise_factor, random_state=seed)
    return noiser.fit_transform(X)


X_val_noisy, X_test_noisy = corrupt(X_val, seed=1), corrupt(X_test, seed=2)

# %%
# PCA denoiser
# ------------
#
# Few components remove more noise but also more of the digit; many
# components keep the digit and let the noise back in. The number of
# components is chosen on the validation digits, at the noise level of the
# test.
from sklearn.decomposition import PCA


def pca_denoise(pca, X_noisy):
    """Project onto the principal subspace and back, in the pixel range."""
    return np.clip(pca.inverse_transform(pca.transform(X_noisy)), 0, 1)


candidates = [4, 8, 16, 32, 64, 128, 256]
val_psnr = []
for n in candidates:
    pca = PCA(n_components=n, random_state=0).fit(X_train)
    X_val_denoised = pca_denoise(pca, X_val_noisy)
    val_psnr.append(peak_signal_noise_ratio(X_val, X_val_denoised))
best_n = candidates[int(np.argmax(val_psnr))]
pca = PCA(n_components=best_n, random_state=0).fit(X_train)

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.semilogx(candidates, val_psnr, "o-", base=2)
ax.set_xticks(candidates, labels=candidates)
ax.axvline(
    best_n,
    color="tab:red",
    linestyle=":",
    label=f"best: {best_n} components",
)
ax.set(
    xlabel="PCA components",
    ylabel="PSNR (dB)",
    title="PCA denoising, validation digits",
)
ax.legend()
plt.show()

# %%
# Denoising autoencoder
# ---------------------
#
# Trained on the same clean training digits, corrupted by its own
# :class:`~skdenoise.GaussianNoiser` of the same strength.
from skdenoise import DenoisingAutoencoder

dae = DenoisingAutoencoder(
    noise=GaussianNoiser(noise_factor=NOISE), epochs=8, random_state=0
)
dae.fit(X_train)

# %%
# Comparison on the test digits
# -----------------------------
X_pca = pca_denoise(pca, X_test_noisy)
X_dae = dae.predict(X_test_noisy)
for name, X_hat in [("noisy", X_test_noisy), ("PCA", X_pca), ("DAE", X_dae)]:
    print(f"{name:>5}: {peak_signal_noise_ratio(X_test, X_hat):5.1f} dB")

# %%
# One :class:`~skdenoise.display.DenoisingDisplay` grid, with a row per
# denoiser, on the first test digit of each class. PCA keeps the rough shape
# of the digits but blurs them and leaves a grey haze. The autoencoder
# returns smooth strokes on a clean background, with the higher PSNR, and
# most digits come back as they were. Where the noise has hidden a stroke,
# though, it draws a digit it has learnt rather than the one that was
# there: here the 2 comes back as an 8, and the 3 closes its lower loop.
# A higher PSNR does not guarantee the right digit.
from skdenoise.display import DenoisingDisplay

_, shown = np.unique(y_test, return_index=True)
denoised = {}
for name, X_hat in [("PCA", X_pca), ("DAE", X_dae)]:
    psnr = peak_signal_noise_ratio(X_test[shown], X_hat[shown])
    denoised[f"{name}\n{psnr:.1f} dB"] = X_hat[shown]
fig = plt.figure(figsize=(11, 5), layout="constrained")
DenoisingDisplay.from_predictions(
    X_test[shown],
    X_test_noisy[shown],
    denoised,
    n_images=len(shown),
    ax=fig.subplots(),
    vmin=0,
    vmax=1,
)
fig.suptitle("Test digits denoised by PCA and by the autoencoder")
plt.show()

# %%
# Stronger and weaker noise
# -------------------------
#
# Both denoisers were tuned or trained for noise of standard deviation 0.5.
# Applied to other noise levels, the autoencoder stays ahead of PCA from
# moderate noise up, and its lead grows with the noise. Weak noise is another
# matter: it leaves the digits nearly intact, and both denoisers, made for
# strong noise, smooth away more detail than the noise costs. A denoiser
# meant for a range of noise levels should be trained on that range.
levels = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9]
curves = {"noisy input": [], f"PCA ({best_n} components)": [], "DAE": []}
for level in levels:
    X_level = corrupt(X_test, noise_factor=level, seed=3)
    curves["noisy input"].append(peak_signal_noise_ratio(X_test, X_level))
    curves[f"PCA ({best_n} components)"].append(
        peak_signal_noise_ratio(X_test, pca_denoise(pca, X_level))
    )
    curves["DAE"].append(
        peak_signal_noise_ratio(X_test, dae.predict(X_level))
    )

fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for label, values in curves.items():
    ax.plot(levels, values, "o-", label=label)
ax.axvline(NOISE, color="gray", linestyle=":", label="training noise")
ax.set(xlabel="noise_factor of the test corruption", ylabel="PSNR (dB)")
ax.legend()
plt.show()
