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

Whether the autoencoder's features help depends on the table, and
``benchmarks/semi_supervised.py`` in the source repository found tables
where they lose to the raw features (the user guide's section
:ref:`ae_features_vs_pca`). So the labelled rows decide: a
:class:`~sklearn.model_selection.GridSearchCV` over a
:class:`~sklearn.pipeline.FeatureUnion` of the raw features and an
autoencoder step that is ``"drop"`` or a fitted autoencoder, frozen by
:class:`~sklearn.frozen.FrozenEstimator` so that it keeps what it learnt
from every row.

On the 569 tumours of :func:`sklearn.datasets.load_breast_cancer`, a quarter
is held out for test, the scaler, PCA and the autoencoder learn from all the
other rows, and the classifiers learn from L labelled rows of them, drawn
ten times for each L.
"""

# %%
# The unsupervised part, fitted once on every non-test row
# ------------------------------------------------------------
import copy

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import FeatureUnion, Pipeline
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
    epochs=40,
    random_state=0,
).fit(Z_rows)
# ``features`` is only read by ``transform``: the same network gives its
# code and its every hidden layer.
all_hidden = copy.deepcopy(autoencoder).set_params(features="all_hidden")
pca = PCA(n_components=8).fit(Z_rows)
print(all_hidden.get_feature_names_out()[[0, 128, 136]])

# %%
# The classifiers, fitted on L labelled rows only
# ------------------------------------------------
# The raw features, PCA and the autoencoder's every hidden layer each feed
# a logistic regression. The fourth contender lets cross-validation on the
# labelled rows choose: the raw features alone (``"drop"``), or next to the
# autoencoder's code or its every hidden layer. Ten draws of the labelled
# rows for every L; the same draws for every contender, so their
# differences are paired.


def classifier():
    return Pipeline(
        [
            (
                "union",
                FeatureUnion([("raw", "passthrough"), ("dae", "drop")]),
            ),
            ("scale", StandardScaler()),
            ("logistic", LogisticRegression(max_iter=1000)),
        ]
    )


candidates = [
    "drop",
    FrozenEstimator(autoencoder),
    FrozenEstimator(all_hidden),
]
search = GridSearchCV(
    classifier(),
    {"union__dae": candidates},
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
)
features = {
    "raw (rank-Gauss)": (Z_rows, Z_test),
    "PCA, 8 components": (pca.transform(Z_rows), pca.transform(Z_test)),
    "autoencoder, all hidden layers": (
        all_hidden.transform(Z_rows),
        all_hidden.transform(Z_test),
    ),
    "chosen by cross-validation": (Z_rows, Z_test),
}
n_labels = [20, 50, 100, len(y_rows)]
accuracy = {name: [] for name in features}
for n in n_labels:
    # With every label, every draw is the same.
    draws = 10 if n < len(y_rows) else 1
    for name, (train, test) in features.items():
        model = (
            search if name == "chosen by cross-validation" else classifier()
        )
        scores, chosen = [], []
        for draw in range(draws):
            if n < len(y_rows):
                rows, _ = train_test_split(
                    np.arange(len(y_rows)),
                    train_size=n,
                    stratify=y_rows,
                    random_state=draw,
                )
            else:
                rows = np.arange(len(y_rows))
            model.fit(train[rows], y_rows[rows])
            scores.append(model.score(test, y_test))
            if model is search:
                chosen.append(
                    candidates.index(search.best_params_["union__dae"])
                )
        mean, sd = np.mean(scores), np.std(scores)
        accuracy[name].append((mean, sd))
        print(f"L={n:>3} {name:>31}: {mean:.3f} ± {sd:.3f}")
    print(
        f"L={n:>3} chosen in {draws} draws: raw alone {chosen.count(0)}, "
        f"+ code {chosen.count(1)}, + all hidden layers {chosen.count(2)}"
    )

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
# On these tumours the four contenders stay within about one draw's spread
# of each other at every L: the table is small and its signal largely
# linear, so the autoencoder has little to add. With 20 or 50 labels the
# search mostly keeps the raw features alone; with more labels it adds the
# autoencoder's features more often, without a gain beyond the spread here.
# ``benchmarks/semi_supervised.py`` measures on larger tables how often the
# choice made by cross-validation beats the raw features, and by how much.
