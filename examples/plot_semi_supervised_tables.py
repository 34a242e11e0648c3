"""
============================================================
Few labels, many unlabelled rows: features for a small table
============================================================

Labels are often scarce while unlabelled rows are plenty. An autoencoder
never needs labels, so it can learn from every row, and a classifier then
learns from the few labelled ones. This example follows the recipe of the
tabular denoising autoencoders that won Kaggle competitions:

- rank-Gauss inputs: scikit-learn's
  :class:`~sklearn.preprocessing.QuantileTransformer` with
  ``output_distribution="normal"`` as the first step;
- swap noise: :class:`~skdenoise.SwapNoiser` replaces entries by the same
  column's value in other rows, so every column keeps its distribution;
- every hidden layer as features: ``features="all_hidden"``.

On the 569 tumours of :func:`sklearn.datasets.load_breast_cancer`, a quarter
is held out for test, the scaler, PCA and the autoencoder learn from all the
other rows, and a logistic regression learns from L labelled rows of them,
drawn ten times for each L. Whether it pays off depends on the data:
``benchmarks/semi_supervised.py`` in the source repository measures it on
larger tables, and the user guide's section :ref:`ae_features_vs_pca`
summarises where it helps and where it does not.
"""

# %%
# The unsupervised part, fitted once on every non-test row
# ------------------------------------------------------------
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer, StandardScaler

from skdenoise import DenoisingAutoencoder, SwapNoiser

X, y = load_breast_cancer(return_X_y=True)
X_rows, X_test, y_rows, y_test = train_test_split(
    X,
    y,
    test_size=0.25,
    stratify=y,
    random_state=0,
)
rank_gauss = QuantileTransformer(
    output_distribution="normal",
    n_quantiles=len(X_rows),
)
rank_gauss.fit(X_rows)
Z_rows, Z_test = rank_gauss.transform(X_rows), rank_gauss.transform(X_test)

autoencoder = DenoisingAutoencoder(
    latent_dim=8,
    noise=SwapNoiser(fraction=0.15),
    hidden_layer_sizes=(128,),
    features="all_hidden",
    epochs=40,
    random_state=0,
).fit(Z_rows)
pca = PCA(n_components=8).fit(Z_rows)

features = {
    "raw (rank-Gauss)": (Z_rows, Z_test),
    "PCA, 8 components": (pca.transform(Z_rows), pca.transform(Z_test)),
    "autoencoder, all hidden layers": (
        autoencoder.transform(Z_rows),
        autoencoder.transform(Z_test),
    ),
}
for name, (train, _) in features.items():
    print(f"{name}: {train.shape[1]} features")
print(autoencoder.get_feature_names_out()[[0, 128, 136]])

# %%
# The classifier, fitted on L labelled rows only
# -----------------------------------------------
# Ten draws of the labelled rows for every L; the same draws for every set
# of features, so their differences are paired.


def classifier():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


n_labels = [20, 50, 100, len(y_rows)]
accuracy = {name: [] for name in features}
for n in n_labels:
    for name, (train, test) in features.items():
        scores = []
        for draw in range(10):
            if n < len(y_rows):
                rows, _ = train_test_split(
                    np.arange(len(y_rows)),
                    train_size=n,
                    stratify=y_rows,
                    random_state=draw,
                )
            else:
                rows = np.arange(len(y_rows))
            model = classifier().fit(train[rows], y_rows[rows])
            scores.append(model.score(test, y_test))
        mean, sd = np.mean(scores), np.std(scores)
        accuracy[name].append((mean, sd))
        print(f"L={n:>3} {name:>31}: {mean:.3f} ± {sd:.3f}")

# %%
# Accuracy against the number of labels
# -------------------------------------
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 4))
for name, values in accuracy.items():
    means, sds = np.array(values).T
    ax.errorbar(n_labels, means, yerr=sds, marker="o", capsize=3, label=name)
ax.set_xscale("log")
# Ticks at the values of L only: the log axis's own minor labels (2, 3, 4,
# 6 x 10^1...) overlap.
ax.set_xticks(n_labels, labels=[str(n) for n in n_labels])
ax.set_xticks([], minor=True)
ax.set_xlabel("labelled rows L")
ax.set_ylabel("test accuracy (mean ± sd of 10 draws)")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# On these tumours the three sets of features stay within about one draw's
# spread of each other at every L: the table is small and its signal largely
# linear, so the autoencoder has little to add. Larger tables, with more
# unlabelled rows, are where ``benchmarks/semi_supervised.py`` looks for a
# gain.
