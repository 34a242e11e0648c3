"""
=================
Denoising a photo
=================

``skdenoise.pretrained.photo_denoiser()`` is a fitted, blind
``DenoisingAutoencoder``: a fully convolutional network, trained on clean
photographs with noise of every level from 0 to 55 / 255, that denoises
photos of any size with no training and without being told the noise level.

This example denoises a photo it has never seen, next to scikit-image's
non-local means (tuned on two other photos, and told the noise level) and,
where the ``bm3d`` package of the benchmarks extra is installed, BM3D (told
the noise level too; free for non-commercial use only). It then trains the
same network from scratch for about a minute, to show what the ready model
saves. PSNR in dB, higher is better.
"""

# %%
# Photos and noise
# ----------------
#
# Grey photos in [0, 1]: scikit-learn's two sample photos for training, and
# scikit-image's cat for the test. The noise is Gaussian with a standard
# deviation of 25 / 255, not clipped.
import matplotlib.pyplot as plt
import numpy as np
from skimage import color, data
from skimage.metrics import peak_signal_noise_ratio
from skimage.restoration import denoise_nl_means
from sklearn.datasets import load_sample_image

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.pretrained import photo_denoiser

# sphinx_gallery_thumbnail_number = 1
SIGMA = 25 / 255
names = ["china.jpg", "flower.jpg"]
train = [color.rgb2gray(load_sample_image(name)) for name in names]
clean = color.rgb2gray(data.chelsea())


def add_noise(image, seed):
    rng = np.random.default_rng(seed)
    return image + SIGMA * rng.standard_normal(image.shape)


def psnr(image):
    return peak_signal_noise_ratio(clean, np.clip(image, 0, 1), data_range=1)


noisy = add_noise(clean, seed=0)
height, width = clean.shape
print(f"noisy: {psnr(noisy):.2f} dB, {height} x {width} pixels")

# %%
# Non-local means, tuned on the training photos
# ---------------------------------------------
#
# Its filter strength ``h`` is chosen as a multiple of the noise level, by
# the mean PSNR on noisy copies of the two training photos.


def nl_means(image, h):
    return denoise_nl_means(image, h=h * SIGMA, sigma=SIGMA, fast_mode=True)


def training_psnr(h):
    scores = []
    for seed, photo in enumerate(train, start=1):
        output = np.clip(nl_means(add_noise(photo, seed), h), 0, 1)
        scores.append(peak_signal_noise_ratio(photo, output, data_range=1))
    return np.mean(scores)


best_h = max([0.4, 0.6, 0.8], key=training_psnr)
classical = nl_means(noisy, best_h)
print(f"non-local means (h = {best_h} sigma): {psnr(classical):.2f} dB")

# %%
# The ready denoiser
# ------------------
#
# One call, no training: ``predict`` takes the whole photo and returns it
# in the same shape. ``photo_denoiser(color=True)`` is its RGB twin.
ready = photo_denoiser().predict(noisy[np.newaxis])[0]
print(f"ready denoiser: {psnr(ready):.2f} dB")

# %%
# BM3D, where installed
# ---------------------
#
# The strongest classical denoiser, given the noise level; about 25 s per
# megapixel on two cores, where ``predict`` takes under a second.
try:
    import bm3d
except ImportError:
    bm3d_output = None
    print("bm3d is not installed (pip install 'skdenoise[benchmarks]')")
else:
    bm3d_output = bm3d.bm3d(noisy, SIGMA)
    print(f"BM3D: {psnr(bm3d_output):.2f} dB")

# %%
# Training the same network from scratch
# --------------------------------------
#
# Patches of 40 x 40 pixels, as many per epoch as cover the two photos
# once; the squared error, as PSNR measures it; the cosine schedule for a
# short fit. ``predict`` takes the whole photo, of a size the network never
# saw, and returns it in the same shape.
dae = DenoisingAutoencoder(
    architecture="fully_conv",
    patch_size=40,
    noise=GaussianNoiser(noise_factor=SIGMA, clip=None, random_state=0),
    epochs=40,
    learning_rate_schedule="cosine",
    validation_fraction=None,
    random_state=0,
)
dae.fit(train)
denoised = dae.predict(noisy[np.newaxis])[0]
print(f"from scratch, {dae.n_iter_} epochs: {psnr(denoised):.2f} dB")

# %%
# Side by side
# ------------
#
# A zoomed crop of each, with the PSNR of the whole photo.
crop = np.s_[60:220, 140:300]
images = {
    f"noisy, {psnr(noisy):.1f} dB": noisy,
    f"non-local means, {psnr(classical):.1f} dB": classical,
    f"from scratch, {psnr(denoised):.1f} dB": denoised,
    f"ready, {psnr(ready):.1f} dB": ready,
}
if bm3d_output is not None:
    images[f"BM3D, {psnr(bm3d_output):.1f} dB"] = bm3d_output
images["clean"] = clean
fig, axes = plt.subplots(1, len(images), figsize=(2.5 * len(images), 3))
for ax, (title, image) in zip(axes, images.items()):
    ax.imshow(np.clip(image[crop], 0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
fig.tight_layout()
plt.show()

# %%
# A one-minute fit is a demonstration: the ready model trained for about
# 25 minutes on 28 photographs. ``benchmarks/photo_denoisers.py`` in the
# repository compares it with scikit-image's tuned denoisers and with BM3D
# on nine held-out photos at three noise levels; the user guide's
# :ref:`photos` page gives its results, and how to fine-tune it on your own
# photos.
