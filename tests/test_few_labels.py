"""The few-labels pattern: autoencoders fitted on every row, frozen, and a
search on the labelled rows over whether their features join the raw ones."""

import copy

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder, SwapNoiser


@pytest.fixture(scope="module")
def rows():
    X, y = make_classification(n_samples=120, n_features=10, n_informative=4, random_state=0)
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def autoencoder(rows):
    X, _ = rows
    return DenoisingAutoencoder(
        4, noise=SwapNoiser(0.15), hidden_layer_sizes=(16,), epochs=2, random_state=0
    ).fit(X)


def _search(candidates):
    model = Pipeline(
        [
            ("union", FeatureUnion([("raw", "passthrough"), ("dae", "drop")])),
            ("scale", StandardScaler()),
            ("logistic", LogisticRegression(max_iter=1000)),
        ]
    )
    return GridSearchCV(
        model,
        {"union__dae": candidates},
        scoring="roc_auc",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )


def test_features_views_share_one_fitted_network(autoencoder, rows):
    X, _ = rows
    hidden = copy.deepcopy(autoencoder).set_params(features="all_hidden")
    assert autoencoder.features == "latent"
    assert hidden.transform(X).shape == (120, 16 + 4 + 16)
    # The code is the middle layer of the all-hidden features.
    np.testing.assert_allclose(hidden.transform(X)[:, 16:20], autoencoder.transform(X), rtol=1e-5)
    frozen = FrozenEstimator(hidden)
    assert clone(frozen) is frozen


def test_gridsearch_chooses_between_drop_and_frozen_autoencoders(autoencoder, rows):
    X, y = rows
    weights = autoencoder.model_.get_weights()
    hidden = copy.deepcopy(autoencoder).set_params(features="all_hidden")
    candidates = ["drop", FrozenEstimator(autoencoder), FrozenEstimator(hidden)]
    labelled = np.arange(40)
    search = _search(candidates).fit(X[labelled], y[labelled])

    # Every candidate was cross-validated; the labels never reached the autoencoder.
    assert [p["union__dae"] for p in search.cv_results_["params"]] == candidates
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    for a, b in zip(autoencoder.model_.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(a, b)
    # The refitted pipeline is the chosen candidate's, and predicts like it.
    chosen = search.best_params_["union__dae"]
    width = {0: 10, 1: 10 + 4, 2: 10 + 36}[candidates.index(chosen)]
    assert search.best_estimator_["logistic"].n_features_in_ == width
    by_hand = _search([chosen]).fit(X[labelled], y[labelled])
    np.testing.assert_array_equal(search.predict(X[40:]), by_hand.predict(X[40:]))
