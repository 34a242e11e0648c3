"""Successive halving over epochs: HalvingGridSearchCV(resource="epochs")."""

import re

import keras
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV, ParameterGrid
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser, MaskingNoiser

# Four candidates, a third kept per iteration (factor=3): all four for 1
# epoch, then the best two for 3 epochs, the best of which is refit.
GRID = {"latent_dim": [2, 8], "noise__noise_factor": [0.1, 0.4]}
MAX_EPOCHS = 3


def small_dae(**params):
    """A small, seeded dense autoencoder for 8x8 digits."""
    defaults = dict(
        architecture="dense",
        hidden_layer_sizes=(16,),
        batch_size=64,
        validation_fraction=None,
        random_state=0,
    )
    return DenoisingAutoencoder(**{**defaults, **params})


class EpochCounter(keras.callbacks.Callback):
    """Counts the epochs of every fit it serves, in order.

    The estimator and ``clone`` deep-copy their callbacks; the copy is this
    very object, so the counts of every fit of a search land here.
    """

    def __init__(self):
        super().__init__()
        self.fits = []

    def __deepcopy__(self, memo):
        return self

    def on_train_begin(self, logs=None):
        self.fits.append(0)

    def on_epoch_end(self, epoch, logs=None):
        self.fits[-1] += 1


@pytest.fixture(scope="module")
def pixels():
    """8x8 digits scaled to [0, 1]: 200 to search on, 40 held out."""
    X = (load_digits().data[:240] / 16).astype(np.float32)
    return X[:200], X[200:]


@pytest.fixture(scope="module")
def counter():
    return EpochCounter()


@pytest.fixture(scope="module")
def dae(counter):
    # score_noise: every candidate is scored on the same corruption, so that
    # candidates trained on different noise levels compare fairly.
    return small_dae(score_noise=GaussianNoiser(0.3), callbacks=[counter])


@pytest.fixture(scope="module")
def search(dae, pixels):
    search = HalvingGridSearchCV(dae, GRID, resource="epochs", max_resources=MAX_EPOCHS, cv=2)
    return search.fit(pixels[0])


def without_resource(params, resource="epochs"):
    return {key: value for key, value in params.items() if key != resource}


def test_each_iteration_trains_its_candidates_for_more_epochs(search):
    assert search.n_resources_ == [1, MAX_EPOCHS]
    results = search.cv_results_
    np.testing.assert_array_equal(results["iter"], [0] * 4 + [1] * 2)
    np.testing.assert_array_equal(results["n_resources"], [1] * 4 + [MAX_EPOCHS] * 2)
    assert [params["epochs"] for params in results["params"]] == list(results["n_resources"])


def test_every_fit_trains_the_epochs_of_its_iteration(search, counter):
    # 4 candidates x 2 folds for 1 epoch, 2 x 2 for 3 epochs, then the refit.
    assert counter.fits == [1] * 8 + [MAX_EPOCHS] * 4 + [MAX_EPOCHS]


def test_halving_keeps_the_best_candidates_of_each_iteration(search):
    assert search.n_candidates_ == [4, 2]
    assert search.n_remaining_candidates_ == 1
    results = search.cv_results_
    params = [str(without_resource(p)) for p in results["params"]]
    first = np.flatnonzero(results["iter"] == 0)
    best_two = first[np.argsort(results["mean_test_score"][first])[-2:]]
    kept = np.flatnonzero(results["iter"] == 1)
    assert sorted(params[i] for i in kept) == sorted(params[i] for i in best_two)


def test_best_estimator_is_refit_with_the_epochs_of_the_last_iteration(search):
    results = search.cv_results_
    last = np.flatnonzero(results["iter"] == 1)
    assert search.best_index_ == last[np.argmax(results["mean_test_score"][last])]
    assert search.best_params_["epochs"] == MAX_EPOCHS
    assert without_resource(search.best_params_) in list(ParameterGrid(GRID))
    best = search.best_estimator_
    assert best.epochs == MAX_EPOCHS
    assert best.n_iter_ == MAX_EPOCHS
    assert len(best.history_["loss"]) == MAX_EPOCHS
    assert best.latent_dim == search.best_params_["latent_dim"]
    assert best.noise.noise_factor == search.best_params_["noise__noise_factor"]


def test_search_leaves_the_given_estimator_alone(search, dae):
    assert dae.epochs == 35
    assert dae.noise.noise_factor == 0.5
    assert not hasattr(dae, "model_")


def test_refit_search_scores_predicts_and_transforms(search, pixels):
    X_test = pixels[1]
    score = search.score(X_test)
    assert score == search.best_estimator_.score(X_test)
    assert np.isfinite(score) and score < 0
    assert search.predict(X_test).shape == X_test.shape
    latent_dim = search.best_params_["latent_dim"]
    assert search.transform(X_test).shape == (len(X_test), latent_dim)


def test_halving_over_epochs_of_a_pipeline_step():
    X = load_digits().data[:240]  # 0 to 16: the pipeline scales them
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler(clip=True)),
            ("dae", small_dae(noise=MaskingNoiser(0.25), score_noise=MaskingNoiser(0.25))),
        ]
    )
    grid = {"dae__noise__fraction": [0.1, 0.5]}
    search = HalvingGridSearchCV(
        pipe, grid, resource="dae__epochs", max_resources=2, factor=2, cv=2
    ).fit(X[:200])
    assert search.n_resources_ == [1, 2]
    assert search.n_candidates_ == [2, 1]
    np.testing.assert_array_equal(search.cv_results_["n_resources"], [1, 1, 2])
    assert search.best_params_["dae__epochs"] == 2
    assert without_resource(search.best_params_, "dae__epochs") in [
        {"dae__noise__fraction": fraction} for fraction in grid["dae__noise__fraction"]
    ]
    best = search.best_estimator_["dae"]
    assert best.epochs == best.n_iter_ == 2
    assert isinstance(best.noise, MaskingNoiser)
    assert best.noise.fraction == search.best_params_["dae__noise__fraction"]
    assert pipe["dae"].epochs == 35 and pipe["dae"].noise.fraction == 0.25
    assert search.transform(X[200:]).shape == (40, best.latent_dim)
    assert np.isfinite(search.score(X[200:]))


@pytest.mark.parametrize(
    "grid, max_resources, message",
    [
        (GRID, "auto", "resource can only be 'n_samples' when max_resources='auto'"),
        ({"epochs": [1, 2]}, MAX_EPOCHS, "Cannot use parameter epochs as the resource"),
    ],
)
def test_halving_over_epochs_needs_max_resources_and_epochs_outside_the_grid(
    pixels, grid, max_resources, message
):
    search = HalvingGridSearchCV(
        small_dae(), grid, resource="epochs", max_resources=max_resources, cv=2
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        search.fit(pixels[0])
