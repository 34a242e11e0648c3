"""
===============================================
Denoising a photo with no clean version of it
===============================================

Often there is no clean copy of the data to learn from: only the noisy
photo itself. ``BlindSpotNoiser`` trains on it anyway (Noise2Self,
Noise2Void): the network learns to predict masked pixels from their
neighbours, with the loss counted only at the masked pixels, and noise
that is independent between pixels cannot be predicted from the
neighbours, so what it learns is the clean photo.

This example denoises a noisy photo using nothing but that photo, next to
scikit-image's non-local means, whose noise level is estimated from the
same noisy photo. The clean photo serves only to measure PSNR (dB, higher
is better).
"""

# %%
# A noisy photo, and nothing else
# -------------------------------
#
# scikit-image's camera man, grey in [0, 1], with Gaussian noise of a
# standard deviation of 25 / 255, not clipped.
import matplotlib.pyplot as plt
import numpy as np
from skimage import data
from skimage.metrics import peak_signal_noise_ratio
from skimage.restoration import denoise_nl_means, estimate_sigma

from skdenoise import BlindSpotNoiser, DenoisingAutoencoder

# sphinx_gallery_thumbnail_number = 1
clean = data.camera()[96:352, 96:352] / 255
noisy = clean + np.random.default_rng(0).normal(0, 25 / 255, clean.shape)


def psnr(image):
    return peak_signal_noise_ratio(clean, np.clip(image, 0, 1), data_range=1)


print(f"noisy: {psnr(noisy):.2f} dB")

# %%
# Non-local means, from the noisy photo alone
# --------------------------------------------
#
# Its noise level comes from ``estimate_sigma`` on the noisy photo.
sigma = estimate_sigma(noisy)
classical = denoise_nl_means(
    noisy, h=0.6 * sigma, sigma=sigma, fast_mode=True
)
print(f"estimated sigma: {sigma * 255:.1f} / 255")
print(f"non-local means: {psnr(classical):.2f} dB")

# %%
# Blind-spot training on the noisy photo
# --------------------------------------
#
# ``fit`` gets the noisy photo only. Each batch of 32 x 32 patches masks 5%
# of the pixels, each replaced by a random unmasked neighbour, and the loss
# is counted at the masked pixels against their noisy values. ``predict``
# then denoises the whole photo, unmasked.
dae = DenoisingAutoencoder(
    architecture="fully_conv",
    noise=BlindSpotNoiser(random_state=0),
    patch_size=32,
    batch_size=16,
    epochs=120,
    learning_rate=3e-3,
    validation_fraction=None,
    random_state=0,
)
dae.fit([noisy])
denoised = dae.predict(noisy)
print(
    f"blind-spot fully_conv, {dae.n_iter_} epochs: {psnr(denoised):.2f} dB"
)

# %%
# Side by side
# ------------
images = {
    f"noisy, {psnr(noisy):.1f} dB": noisy,
    f"non-local means, {psnr(classical):.1f} dB": classical,
    f"blind-spot, {psnr(denoised):.1f} dB": denoised,
    "clean (not used)": clean,
}
fig, axes = plt.subplots(1, 4, figsize=(10, 3))
for ax, (title, image) in zip(axes, images.items()):
    ax.imshow(np.clip(image, 0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
fig.tight_layout()
plt.show()

# %%
# Non-local means wins here: given the noise level that ``estimate_sigma``
# finds, it does better than a short blind-spot fit on one small
# photo, which has only the photo's own masked pixels to learn from.
#
# A short fit on one photo of 256 x 256 pixels is a demonstration: the
# user guide's :ref:`noisy_only` page says when blind-spot training works
# (noise independent between pixels, with mean zero), how to choose its
# settings with ``GridSearchCV`` on noisy data, and the second way to train
# without clean data, two noisy captures of each scene (Noise2Noise).
