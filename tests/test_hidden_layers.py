"""hidden_layer_sizes and features="all_hidden" of the dense network."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

import skdenoise
from skdenoise import DenoisingAutoencoder

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=3, hidden_layer_sizes=(5, 4), epochs=1, random_state=0)


@pytest.fixture(scope="module")
def fitted_all_hidden():
    # The tabular fixture's data, fitted once for the module's read-only tests.
    rng = np.random.RandomState(0)
    X = (rng.uniform(size=(300, 3)) @ rng.uniform(size=(3, 12)) / 3).astype(np.float32)
    return DenoisingAutoencoder(**{**SMALL_DAE_DEFAULTS, "features": "all_hidden"}).fit(X)


def test_all_hidden_concatenates_every_hidden_layer(fitted_all_hidden, tabular):
    dae = fitted_all_hidden
    features = dae.transform(tabular)
    assert features.shape == (len(tabular), 5 + 4 + 3 + 4 + 5)
    # The activations, layer by layer, as Keras computes them.
    x = tabular
    expected = []
    for layer in [*dae.encoder_.layers, *dae.decoder_.layers[:-1]]:
        x = np.asarray(layer(x))
        expected.append(x)
    np.testing.assert_allclose(features, np.hstack(expected), rtol=1e-5, atol=1e-6)
    # The code is among them, in the middle.
    np.testing.assert_allclose(features[:, 9:12], dae.encoder_(tabular), atol=1e-6)


def test_all_hidden_feature_names_name_layer_and_unit(fitted_all_hidden):
    names = fitted_all_hidden.get_feature_names_out()
    assert len(names) == 21
    assert names[0] == "denoisingautoencoder_hidden0_0"
    assert names[4] == "denoisingautoencoder_hidden0_4"
    assert names[5] == "denoisingautoencoder_hidden1_0"
    assert list(names[9:12]) == [f"denoisingautoencoder_hidden2_{i}" for i in range(3)]
    assert names[-1] == "denoisingautoencoder_hidden4_4"
    assert len(set(names)) == len(names)


def test_width_and_names_follow_features_set_after_fit(fitted_all_hidden, tabular):
    dae = pickle.loads(pickle.dumps(fitted_all_hidden))
    for features, width in [("latent", 3), ("all_hidden", 21)]:
        dae.set_params(features=features)
        assert dae.transform(tabular).shape == (len(tabular), width)
        assert len(dae.get_feature_names_out()) == width
    # The names follow the fitted network, not hidden_layer_sizes set since.
    dae.set_params(hidden_layer_sizes=(2,), latent_dim=9)
    assert len(dae.get_feature_names_out()) == dae.transform(tabular).shape[1] == 21


def test_latent_feature_names_are_unchanged(small_dae, tabular):
    names = small_dae().fit(tabular).get_feature_names_out()
    assert list(names) == [
        "denoisingautoencoder0",
        "denoisingautoencoder1",
        "denoisingautoencoder2",
    ]


def test_all_hidden_works_with_pandas_output(fitted_all_hidden, tabular):
    pytest.importorskip("pandas")
    # A copy, so the module's fitted estimator keeps its ndarray output.
    dae = pickle.loads(pickle.dumps(fitted_all_hidden))
    frame = dae.set_output(transform="pandas").transform(tabular)
    assert list(frame.columns) == list(fitted_all_hidden.get_feature_names_out())


def test_inverse_transform_refuses_all_hidden_features(fitted_all_hidden, tabular):
    features = fitted_all_hidden.transform(tabular)
    with pytest.raises(ValueError, match="features='all_hidden'"):
        fitted_all_hidden.inverse_transform(features)


def test_convolutional_network_refuses_all_hidden(small_dae, digits):
    with pytest.raises(ValueError, match="dense network.*architecture is 'conv'"):
        small_dae(features="all_hidden").fit(digits[:50])


def test_bad_features_value_is_reported(small_dae, tabular):
    with pytest.raises(InvalidParameterError, match="features"):
        small_dae(features="everything").fit(tabular)


@pytest.mark.parametrize("sizes", [(0,), (8, -1), (2.5,), (True,), ("8",)])
def test_hidden_layer_sizes_must_be_positive_ints(small_dae, tabular, sizes):
    with pytest.raises(ValueError, match="hidden_layer_sizes must be a tuple of positive ints"):
        small_dae(hidden_layer_sizes=sizes).fit(tabular)


def test_hidden_layer_sizes_must_be_a_sequence(small_dae, tabular):
    with pytest.raises(InvalidParameterError, match="hidden_layer_sizes"):
        small_dae(hidden_layer_sizes=8).fit(tabular)


def test_hidden_layer_sizes_sets_the_dense_layers(small_dae, tabular):
    dae = small_dae(hidden_layer_sizes=[7, np.int64(6)]).fit(tabular)
    assert [layer.units for layer in dae.encoder_.layers] == [7, 6, 3]
    assert [layer.units for layer in dae.decoder_.layers] == [6, 7, tabular.shape[1]]


def test_default_network_is_unchanged(tabular):
    dae = DenoisingAutoencoder(epochs=1, random_state=0).fit(tabular)
    assert [layer.units for layer in dae.encoder_.layers] == [256, 128]
    assert dae.model_.count_params() == 2 * (12 * 256 + 256 * 128) + 256 + 128 + 256 + 12


def test_grid_search_over_hidden_layer_sizes(small_dae, tabular):
    grid = GridSearchCV(small_dae(epochs=2), {"hidden_layer_sizes": [(4,), (16, 8)]}, cv=2).fit(
        tabular
    )
    assert [p["hidden_layer_sizes"] for p in grid.cv_results_["params"]] == [(4,), (16, 8)]
    assert grid.best_estimator_.hidden_layer_sizes in [(4,), (16, 8)]
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))


def test_new_parameters_survive_save_pickle_and_clone(fitted_all_hidden, tabular, tmp_path):
    dae = fitted_all_hidden
    dae.save(tmp_path / "hidden.skd")
    expected = dae.transform(tabular)
    for copy in (skdenoise.load(tmp_path / "hidden.skd"), pickle.loads(pickle.dumps(dae))):
        assert copy.features == "all_hidden"
        assert copy.hidden_layer_sizes == (5, 4)
        np.testing.assert_array_equal(copy.transform(tabular), expected)
        np.testing.assert_array_equal(copy.get_feature_names_out(), dae.get_feature_names_out())
    cloned = clone(dae)
    assert cloned.get_params()["features"] == "all_hidden"
    assert cloned.get_params()["hidden_layer_sizes"] == (5, 4)
