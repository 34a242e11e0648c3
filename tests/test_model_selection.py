import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise._history import append_history
from skdenoise.model_selection import best_epoch, fit_seeds, train_validation_indices


@pytest.mark.parametrize("validation_fraction", [0.1, 0.25, None])
def test_indices_are_the_rows_a_fit_validates_on(validation_fraction):
    # Each row is its own index, so the validation loss a fit records
    # with an identity model reveals nothing; instead, fit once per
    # candidate split and compare the recorded validation loss with a
    # loss computed on the returned rows.
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(40, 6)).astype(np.float32)
    dae = DenoisingAutoencoder(
        2,
        hidden_layer_sizes=(4,),
        noise=None,
        epochs=1,
        validation_fraction=validation_fraction,
        random_state=3,
    ).fit(X)
    train, validation = train_validation_indices(
        len(X), validation_fraction=validation_fraction, random_state=3
    )
    assert len(train) + len(validation) == len(X)
    assert np.intersect1d(train, validation).size == 0
    if validation_fraction is None:
        assert validation.size == 0
        assert "val_loss" not in dae.history_
        return
    assert len(validation) == int(len(X) * validation_fraction)
    # After one epoch the weights are fixed: the recorded validation loss is
    # the model's mean loss on exactly the held-out rows.
    expected = dae.score(X[validation])
    np.testing.assert_allclose(dae.history_["val_loss"][-1], -expected, rtol=1e-4)


def test_fit_seeds_are_the_estimators():
    assert fit_seeds(7) == fit_seeds(7)
    assert fit_seeds(7) != fit_seeds(8)
    assert set(fit_seeds(None)) == {"init", "split", "train", "score"}


def test_best_epoch_ignores_non_finite_values():
    assert best_epoch([0.3, np.nan, 0.1, -np.inf, 0.1]) == (3, 0.1)
    history = {"loss": [0.4, 0.3], "val_loss": [0.25, 0.35]}
    assert best_epoch(history) == (1, 0.25)
    assert best_epoch(history, monitor="loss") == (2, 0.3)
    assert best_epoch({"loss": [0.4]}) == (None, None)
    assert best_epoch([np.nan, np.inf]) == (None, None)


def test_best_epoch_is_none_when_the_last_epochs_were_not_validated():
    assert best_epoch([0.3, 0.2, np.nan]) == (None, None)
    assert best_epoch([np.nan, 0.3, 0.2]) == (3, 0.2)
    assert best_epoch({"loss": [0.4, 0.3], "val_loss": [0.2, np.nan]}) == (None, None)


def test_append_history_pads_missing_keys_with_nan():
    fit = {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}
    partial = {"loss": [0.3]}
    merged = append_history(append_history({}, 0, fit), 2, partial)
    assert merged["loss"] == [0.5, 0.4, 0.3]
    np.testing.assert_array_equal(merged["val_loss"], [0.6, 0.5, np.nan])
    # The model has been trained since its last validation.
    assert best_epoch(merged) == (None, None)
    assert best_epoch(append_history(merged, 3, fit)) == (2, 0.5)
    np.testing.assert_array_equal(append_history(partial, 1, fit)["val_loss"], [np.nan, 0.6, 0.5])
