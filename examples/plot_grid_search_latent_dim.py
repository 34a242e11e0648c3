"""
=============================================
Choosing the latent size with a grid search
=============================================

:meth:`DenoisingAutoencoder.score <skdenoise.DenoisingAutoencoder.score>`
returns minus the reconstruction loss of denoising the data it is given, so
:class:`~sklearn.model_selection.GridSearchCV` can rank autoencoders without
a ``scoring`` argument, also when the autoencoder is the last step of a
:class:`~sklearn.pipeline.Pipeline`.

This example searches the size of the code, ``latent_dim``, with
successive halving over epochs
(:class:`~sklearn.model_selection.HalvingGridSearchCV`), then shows how to
choose the strength of the training noise, ``noise__noise_factor``: with
``score_noise`` every candidate is scored on the same corruption.

To keep the example fast on a CPU, it fits small fully connected
autoencoders (``architecture="dense"``) for a few epochs on 1,000 digits;
the search works the same with the default convolutional network.
"""

# %%
# Data: 8-bit pixels
# ------------------
#
# Images usually come as 8-bit integers. The pipeline below scales them to
# [0, 1], the range that the default binary cross-entropy loss needs, inside
# each cross-validation fold.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser
from skdenoise.datasets import load_mnist_sample

X, y = load_mnist_sample(return_X_y=True)
X = np.round(X * 255).astype(np.uint8)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=1000, test_size=500, stratify=y, random_state=0
)

# %%
# The pipeline
# ------------
#
# :class:`~sklearn.preprocessing.MinMaxScaler` maps every pixel to [0, 1];
# ``clip=True`` keeps the pixels of the validation folds in that range too.
pipe = make_pipeline(
    MinMaxScaler(clip=True),
    DenoisingAutoencoder(
        architecture="dense",
        hidden_layer_sizes=(128,),
        noise=GaussianNoiser(noise_factor=0.5),
        epochs=5,
        validation_fraction=None,
        random_state=0,
    ),
)
pipe

# %%
# Searching ``latent_dim`` with successive halving over epochs
# ------------------------------------------------------------
#
# A grid search would train every candidate for all its epochs.
# :class:`~sklearn.model_selection.HalvingGridSearchCV` with the epochs as
# its resource trains the four candidates for 2 epochs, keeps the best third
# of them (rounded up: two) and trains those anew for 3 times as many
# epochs, 6 (``max_resources``). The best of the last iteration is refitted
# on all the training digits with 6 epochs.
#
# Parameters of a pipeline step are prefixed by the step's name, the
# resource too: ``denoisingautoencoder__epochs``. No ``scoring`` is given:
# every candidate is scored by the pipeline's ``score``, which scales the
# validation fold and hands it to the autoencoder's ``score``. That one
# corrupts the fold with the autoencoder's ``noise``, under a seed fixed at
# fit time (the same for every candidate, since they share
# ``random_state``), denoises it and returns minus the loss.
latent_dims = [4, 8, 16, 64]
search = HalvingGridSearchCV(
    pipe,
    {"denoisingautoencoder__latent_dim": latent_dims},
    resource="denoisingautoencoder__epochs",
    max_resources=6,
    cv=3,
)
search.fit(X_train)
print(f"epochs of each iteration: {search.n_resources_}")
print(f"candidates of each iteration: {search.n_candidates_}")

results = pd.DataFrame(search.cv_results_)
results[
    [
        "iter",
        "n_resources",
        "param_denoisingautoencoder__latent_dim",
        "mean_test_score",
        "std_test_score",
    ]
]

# %%
# Larger codes reconstruct better here: with noise to remove, the network
# does not simply copy its input, even when the code is large. After 2
# epochs the candidates lie close together; the two kept for 6 epochs move
# apart.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for (iteration, epochs), rows in results.groupby(["iter", "n_resources"]):
    ax.errorbar(
        rows["param_denoisingautoencoder__latent_dim"].astype(int),
        rows["mean_test_score"],
        yerr=rows["std_test_score"],
        fmt="o-",
        capsize=4,
        label=f"iteration {iteration}: {epochs} epochs",
    )
ax.set_xscale("log", base=2)
ax.set_xticks(latent_dims, labels=latent_dims)
ax.set(
    xlabel="latent_dim",
    ylabel="score (minus BCE)",
    title="3-fold cross-validated score",
)
ax.legend()
plt.show()

# %%
# The search refits the best pipeline on all the training digits, with the
# epochs of the last iteration; its score on the test digits is measured the
# same way.
print("best:", *[f"{k}={v}" for k, v in search.best_params_.items()])
print(f"test score of the refitted pipeline: {search.score(X_test):.4f}")

# %%
# Choosing the noise level: score every candidate on the same task
# -----------------------------------------------------------------
#
# The default score corrupts with each candidate's **own** noise. Candidates
# that differ in ``noise__noise_factor`` are then scored on different tasks,
# and the one trained on the weakest noise wins simply because it is tested
# on the weakest noise.
#
# To choose the training noise for data that will be corrupted with, say,
# noise of standard deviation 0.5, set ``score_noise``: the corruption that
# ``score`` applies, the same for every candidate. The search below records
# both scores.


def own_noise_score(pipeline, X, y=None):
    """Each candidate corrupts the validation fold with its own noise."""
    own = pipeline.set_params(denoisingautoencoder__score_noise=None)
    return own.score(X)


def fixed_noise_score(pipeline, X, y=None):
    """Every candidate denoises the same corruption, of strength 0.5."""
    fixed = GaussianNoiser(noise_factor=0.5)
    pipeline.set_params(denoisingautoencoder__score_noise=fixed)
    return pipeline.score(X)


# The latent size and epochs chosen above:
pipe.set_params(**search.best_params_)
noise_search = GridSearchCV(
    pipe,
    {"denoisingautoencoder__noise__noise_factor": [0.1, 0.3, 0.5, 0.8]},
    scoring={
        "own noise": own_noise_score,
        "fixed noise (0.5)": fixed_noise_score,
    },
    refit=False,
    cv=3,
)
noise_search.fit(X_train)

# %%
# In practice there is no need for these two scorers: set
# ``score_noise=GaussianNoiser(noise_factor=0.5)`` on the autoencoder and run
# the search with its default score.

# %%
# The default score only decreases with the noise level, while the fair
# comparison favours training on noise close to the noise to remove.
noise_results = noise_search.cv_results_
levels = noise_results["param_denoisingautoencoder__noise__noise_factor"]
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for name in ["own noise", "fixed noise (0.5)"]:
    ax.errorbar(
        np.asarray(levels, dtype=float),
        noise_search.cv_results_[f"mean_test_{name}"],
        yerr=noise_search.cv_results_[f"std_test_{name}"],
        fmt="o-",
        capsize=4,
        label=f"scored on {name}",
    )
ax.set(xlabel="noise_factor during training", ylabel="score (minus BCE)")
ax.legend()
plt.show()
