"""
===========================================
Autoencoder codes as features next to PCA
===========================================

:meth:`~skdenoise.DenoisingAutoencoder.transform` returns the latent code
of every sample, so the autoencoder can feed a classifier like any other
scikit-learn transformer. Here its codes are put
next to those of :class:`~sklearn.decomposition.PCA` in a
:class:`~sklearn.pipeline.FeatureUnion`, in front of a
:class:`~sklearn.linear_model.LogisticRegression` that recognises the
digits.

Three models are compared on the same held-out digits: the classifier on the
raw pixels, on PCA components, and on PCA components together with the
autoencoder's codes. The autoencoder never sees the labels: in a pipeline
every step is given ``y``, and the autoencoder ignores one-dimensional
targets.
"""

# %%
# Data
# ----
import time

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from skdenoise.datasets import load_mnist_sample

X, y = load_mnist_sample(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=2000, test_size=1000, stratify=y, random_state=0
)

# %%
# Three pipelines
# ---------------
#
# The same regularised logistic regression ends each pipeline. The pixels
# share one scale, [0, 1], and go to it as they are; PCA components and
# codes have scales of their own and are standardised first. The union's
# output is the 32 PCA components followed by the 32 codes.
#
# The autoencoder is the default convolutional one, with a 32-value code,
# trained for 5 epochs.
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder


def classifier():
    # Newton's method converges in a few iterations on problems of this size.
    return LogisticRegression(C=0.1, solver="newton-cg", max_iter=1000)


codes = DenoisingAutoencoder(latent_dim=32, epochs=5, random_state=0)
union = FeatureUnion(
    [("pca", PCA(n_components=32, random_state=0)), ("dae", codes)]
)
models = {
    "raw pixels (784)": make_pipeline(classifier()),
    "PCA (32)": make_pipeline(
        PCA(n_components=32, random_state=0), StandardScaler(), classifier()
    ),
    "PCA (32) + DAE codes (32)": make_pipeline(
        union, StandardScaler(), classifier()
    ),
}
models["PCA (32) + DAE codes (32)"]

# %%
# Fit and score
# -------------
accuracy, fit_time = {}, {}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_time[name] = time.perf_counter() - start
    accuracy[name] = model.score(X_test, y_test)
    print(
        f"{name:>26}: accuracy {accuracy[name]:.3f}, "
        f"fitted in {fit_time[name]:.1f} s"
    )

# %%
# The union names its output columns after its parts, so the features stay
# traceable through the pipeline:
fitted_union = models["PCA (32) + DAE codes (32)"][0]
names = fitted_union.get_feature_names_out()
print(*names[:2], "...", *names[-2:], sep="\n")

# %%
# The autoencoder fitted inside the union can be taken out and used alone:
# its 32 codes, without the PCA components, give
dae = fitted_union.named_transformers["dae"]
codes_only = make_pipeline(StandardScaler(), classifier())
codes_only.fit(dae.transform(X_train), y_train)
accuracy["DAE codes (32)"] = codes_only.score(dae.transform(X_test), y_test)
print(f"DAE codes (32): accuracy {accuracy['DAE codes (32)']:.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.barh(
    list(accuracy),
    list(accuracy.values()),
    color=["tab:gray", "tab:blue", "tab:green", "tab:olive"],
)
for i, value in enumerate(accuracy.values()):
    ax.text(
        value - 0.005,
        i,
        f"{value:.3f}",
        va="center",
        ha="right",
        color="white",
    )
ax.set(
    xlim=(0.8, 1.0),
    xlabel="test accuracy",
    title="Logistic regression, 2,000 training digits",
)
ax.invert_yaxis()
plt.show()

# %%
# What the codes add
# ------------------
#
# A linear classifier is limited by its features. PCA components are a linear
# function of the pixels, so they cannot help it beyond what the pixels
# allow; with only 32 of them, some of the information is lost, too. The
# autoencoder's codes are a non-linear function of the pixels, learnt by
# denoising digits without their labels, and the logistic regression does
# better on them than on the raw pixels, with 24 times fewer features. Next
# to the PCA components, they do better still.
