"""DenoisingAutoencoder inside scikit-learn's composition and model selection."""

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=8, epochs=1, random_state=0)


def test_feature_names_out_and_pandas_output(small_dae, digits):
    dae = small_dae().fit(digits[:100])
    names = dae.get_feature_names_out()
    assert list(names) == [f"denoisingautoencoder{i}" for i in range(8)]
    frame = pd.DataFrame(digits[:100], columns=[f"px{i}" for i in range(784)])
    dae = small_dae().set_output(transform="pandas").fit(frame)
    codes = dae.transform(frame)
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.columns) == list(names)
    assert list(dae.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        dae.transform(digits[:5])


def test_union_with_pca_feeds_a_classifier(small_dae, mnist_sample):
    X, y = mnist_sample
    model = make_pipeline(
        make_union(PCA(n_components=5), small_dae(latent_dim=6)),
        StandardScaler(),
        LogisticRegression(max_iter=200),
    )
    model.fit(X[:300], y[:300])
    features = model[0].transform(X[:4])
    assert features.shape == (4, 11)
    assert model[0].get_feature_names_out()[-1] == "denoisingautoencoder__denoisingautoencoder5"
    assert model.score(X[300:400], y[300:400]) > 0.3


def test_gridsearch_over_latent_dim_needs_no_scorer(small_dae, tabular):
    search = GridSearchCV(
        small_dae(hidden_layer_sizes=(16,), epochs=3), {"latent_dim": [1, 3]}, cv=2
    ).fit(tabular)
    assert search.best_params_["latent_dim"] in (1, 3)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert np.all(search.cv_results_["mean_test_score"] < 0)


def test_gridsearch_parallel_over_nested_noise_factor(small_dae, tabular):
    pipe = make_pipeline(MinMaxScaler(), small_dae(latent_dim=3, hidden_layer_sizes=(16,)))
    search = GridSearchCV(
        pipe,
        {"denoisingautoencoder__noise__noise_factor": [0.1, 0.4]},
        cv=2,
        n_jobs=2,
    ).fit(tabular)
    assert len(search.cv_results_["params"]) == 2
    assert search.best_estimator_[-1].noise.noise_factor in (0.1, 0.4)
    # Workers fit clones: the estimator given to the search is left untouched.
    assert pipe[-1].noise.noise_factor == 0.5 and not hasattr(pipe[-1], "model_")


def test_set_params_reaches_the_noise(small_dae):
    dae = small_dae(noise=GaussianNoiser(noise_factor=0.5))
    dae.set_params(noise__noise_factor=0.2)
    assert dae.get_params()["noise__noise_factor"] == 0.2


def test_nested_noise_parameter_never_changes_the_shared_default():
    tuned, other = DenoisingAutoencoder(), DenoisingAutoencoder()
    assert tuned.noise is other.noise  # one default object, as Python makes it
    tuned.set_params(noise__noise_factor=0.1)
    assert tuned.get_params()["noise__noise_factor"] == 0.1
    assert other.noise.noise_factor == 0.5
    assert DenoisingAutoencoder().noise.noise_factor == 0.5


def test_nested_noise_parameter_never_changes_a_noiser_given_to_others(small_dae):
    shared = GaussianNoiser(noise_factor=0.3, random_state=1)
    first = small_dae(noise=shared, score_noise=shared)
    second = small_dae(noise=shared)
    first.set_params(noise__noise_factor=0.2, score_noise__noise_factor=0.4)
    assert shared.noise_factor == 0.3 and second.noise is shared
    assert first.noise.noise_factor == 0.2 and first.score_noise.noise_factor == 0.4
    assert first.noise.random_state == 1  # the copy keeps the other parameters
    # A noiser passed in the same call is copied too before it is changed.
    first.set_params(noise=shared, noise__noise_factor=0.6)
    assert shared.noise_factor == 0.3 and first.noise.noise_factor == 0.6


def test_nested_noise_parameter_of_no_noise_is_an_error(small_dae):
    with pytest.raises(ValueError, match=r"noise__noise_factor.*noise is None"):
        small_dae(noise=None).set_params(noise__noise_factor=0.1)


def test_set_params_still_rejects_unknown_parameters(small_dae):
    with pytest.raises(ValueError, match="Invalid parameter 'not_a_parameter'"):
        small_dae().set_params(not_a_parameter=1)
    with pytest.raises(ValueError, match="Invalid parameter 'not_a_parameter'"):
        small_dae().set_params(noise__not_a_parameter=1)


def test_clone_is_unfitted_and_equal(small_dae, digits):
    dae = small_dae().fit(digits[:50])
    copy = clone(dae)
    assert not hasattr(copy, "model_")
    assert copy.get_params()["latent_dim"] == 8
    assert copy.noise is not dae.noise


def test_pickle_round_trip_keeps_outputs_and_shared_weights(small_dae, digits):
    dae = small_dae(warm_start=True).fit(digits[:100])
    restored = pickle.loads(pickle.dumps(dae))
    np.testing.assert_array_equal(restored.transform(digits[:10]), dae.transform(digits[:10]))
    np.testing.assert_array_equal(restored.predict(digits[:10]), dae.predict(digits[:10]))
    # Encoder and decoder stay parts of the model after loading: training the
    # model trains them.
    restored.fit(digits[:100])
    assert restored.n_iter_ == 2
    assert not np.array_equal(restored.transform(digits[:10]), dae.transform(digits[:10]))
    np.testing.assert_allclose(
        restored.inverse_transform(restored.transform(digits[:10])),
        restored.predict(digits[:10]),
        atol=1e-5,
    )


def test_pickled_model_loads_in_a_fresh_process(small_dae, digits, tmp_path):
    dae = small_dae().fit(digits[:100])
    path = tmp_path / "dae.pkl"
    path.write_bytes(pickle.dumps(dae))
    np.save(tmp_path / "X.npy", digits[:10])
    np.save(tmp_path / "expected.npy", dae.transform(digits[:10]))
    code = f"""
import pickle, numpy as np
dae = pickle.loads(open({str(path)!r}, "rb").read())
X = np.load({str(tmp_path / "X.npy")!r})
np.testing.assert_array_equal(dae.transform(X), np.load({str(tmp_path / "expected.npy")!r}))
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_score_noise_scores_every_noise_level_on_the_same_task(small_dae, tabular):
    from skdenoise._noise import corrupt
    from skdenoise._random import batch_seed

    task = GaussianNoiser(noise_factor=0.3)
    scores = {}
    for factor in (0.05, 0.6):
        dae = small_dae(
            latent_dim=3, noise=GaussianNoiser(noise_factor=factor), score_noise=task
        ).fit(tabular)
        # One batch of rows: score corrupts them with the seed of the first.
        X_noisy = corrupt(task, tabular, batch_seed(dae._seeds["score"], 0))
        scores[factor] = dae.score(tabular)
        assert scores[factor] == pytest.approx(dae.score(X_noisy, tabular), rel=1e-6)
        # Without score_noise, each model is scored on its own noise.
        own = dae.set_params(score_noise=None).score(tabular)
        assert own != scores[factor]
    search = GridSearchCV(
        small_dae(latent_dim=3, score_noise=task),
        {"noise__noise_factor": [0.05, 0.6]},
        cv=2,
    ).fit(tabular)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
