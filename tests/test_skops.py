"""Whole pipelines saved with skops.io, and the checks on the model they hold."""

import io
import json
import pickle
import zipfile

import joblib
import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser, MaskingNoiser, SaltPepperNoiser

sio = pytest.importorskip("skops.io")

OWN_TYPES = {
    "skdenoise._autoencoder.DenoisingAutoencoder",
    "skdenoise._noise.GaussianNoiser",
    "skdenoise._noise.MaskingNoiser",
    "skdenoise._noise.SaltPepperNoiser",
}


@pytest.fixture(scope="module")
def classifier(mnist_sample):
    X, y = mnist_sample[0][:300], mnist_sample[1][:300]
    pipe = make_pipeline(
        StandardScaler(),
        DenoisingAutoencoder(
            latent_dim=6,
            epochs=1,
            architecture="dense",
            noise=MaskingNoiser(fraction=0.2, random_state=np.random.RandomState(1)),
            score_noise=GaussianNoiser(0.1),
            random_state=0,
        ),
        LogisticRegression(max_iter=200),
    )
    return pipe.fit(X, y), X


@pytest.fixture(scope="module")
def saved_classifier(classifier, tmp_path_factory):
    path = tmp_path_factory.mktemp("skops") / "pipe.skops"
    sio.dump(classifier[0], path)
    return path


def test_pipeline_round_trip_gives_identical_outputs(classifier, saved_classifier):
    pipe, X = classifier
    untrusted = sio.get_untrusted_types(file=saved_classifier)
    assert set(untrusted) == {
        "skdenoise._autoencoder.DenoisingAutoencoder",
        "skdenoise._noise.MaskingNoiser",
        "skdenoise._noise.GaussianNoiser",
    }
    loaded = sio.load(saved_classifier, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict_proba(X), pipe.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))
    np.testing.assert_array_equal(loaded[:-1].transform(X), pipe[:-1].transform(X))
    dae, restored = pipe[1], loaded[1]
    # RandomState instances are saved with their state.
    np.testing.assert_array_equal(
        restored.noise.random_state.get_state()[1], dae.noise.random_state.get_state()[1]
    )
    assert repr(clone(restored).set_params(noise__random_state=1)) == repr(
        clone(dae).set_params(noise__random_state=1)
    )
    assert restored.history_ == dae.history_ and restored.n_iter_ == dae.n_iter_
    assert restored.score(X[:50]) == dae.score(X[:50])


def test_untrusted_types_must_be_named(saved_classifier):
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.load(saved_classifier)


def test_feature_union_of_conv_autoencoder_and_pca_round_trips(digits):
    X = digits[:120]
    dae = DenoisingAutoencoder(
        latent_dim=4, epochs=1, noise=SaltPepperNoiser(0.1, random_state=2), random_state=0
    )
    union = make_union(PCA(n_components=3), dae).fit(X)
    data = sio.dumps(union)
    untrusted = sio.get_untrusted_types(data=data)
    assert set(untrusted) <= OWN_TYPES
    loaded = sio.loads(data, trusted=untrusted)
    # PCA's float32 product may round differently once its arrays are
    # restored; the autoencoder's codes are identical.
    np.testing.assert_allclose(loaded.transform(X), union.transform(X), rtol=1e-5, atol=1e-6)
    conv = loaded.transformer_list[1][1]
    np.testing.assert_array_equal(conv.transform(X), dae.transform(X))
    assert conv.architecture_ == "conv"
    np.testing.assert_array_equal(conv.predict(X[:5]), dae.predict(X[:5]))


def test_unfitted_autoencoder_round_trips():
    dae = DenoisingAutoencoder(latent_dim=3, hidden_layer_sizes=(8, 4))
    data = sio.dumps(dae)
    assert set(sio.get_untrusted_types(data=data)) <= OWN_TYPES
    assert repr(sio.loads(data, trusted=list(OWN_TYPES))) == repr(dae)


def _with_model(skops_path, model_bytes, target):
    """Copy a skops file, with the embedded Keras archive swapped for `model_bytes`."""
    with zipfile.ZipFile(skops_path) as src, zipfile.ZipFile(target, "w") as dst:
        archives = [name for name in src.namelist() if name.endswith(".bin")]
        assert len(archives) == 1 and src.read(archives[0])[:2] == b"PK"
        for name in src.namelist():
            dst.writestr(name, model_bytes if name in archives else src.read(name))
    return target


def _keras_bytes(model, tmp_path):
    path = tmp_path / "swapped.keras"
    model.save(path)
    return path.read_bytes()


def test_skops_file_with_a_lambda_layer_is_refused(saved_classifier, tmp_path):
    lambda_model = keras.Sequential([keras.Input((6,)), keras.layers.Lambda(lambda x: x * 2)])
    bad = _with_model(saved_classifier, _keras_bytes(lambda_model, tmp_path), tmp_path / "l.skops")
    untrusted = sio.get_untrusted_types(file=bad)
    assert set(untrusted) <= OWN_TYPES
    with pytest.raises(ValueError, match="'Lambda', which skdenoise models never contain"):
        sio.load(bad, trusted=untrusted)


def test_skops_file_with_a_custom_object_is_refused_without_running_it(saved_classifier, tmp_path):
    marker = tmp_path / "ran"

    # Registered in this very process: without the checks, Keras would find
    # it and construct it while loading, even in safe mode.
    @keras.saving.register_keras_serializable(package="skdenoise_test_evil")
    class Touch(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if marker.parent.exists() and getattr(Touch, "armed", False):
                marker.write_text("constructed")

        def call(self, inputs):
            return inputs

    try:
        custom = keras.Sequential([keras.Input((6,)), Touch()])
        bad = _with_model(saved_classifier, _keras_bytes(custom, tmp_path), tmp_path / "c.skops")
        Touch.armed = True
        with pytest.raises(ValueError, match="refusing to load it"):
            sio.load(bad, trusted=sio.get_untrusted_types(file=bad))
        assert not marker.exists()
    finally:
        keras.saving.get_custom_objects().pop("skdenoise_test_evil>Touch", None)


def test_pickle_and_joblib_keep_outputs(classifier, tmp_path):
    pipe, X = classifier
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))
    joblib.dump(pipe, tmp_path / "pipe.joblib")
    restored = joblib.load(tmp_path / "pipe.joblib")
    np.testing.assert_array_equal(restored.predict_proba(X), pipe.predict_proba(X))


def test_state_holds_only_plain_data_and_its_model_passes_the_checks(classifier, tmp_path):
    dae = classifier[0][1]
    state = dae.__getstate__()
    assert isinstance(state["model_"], bytes)
    assert "_inference_functions" not in state
    with zipfile.ZipFile(io.BytesIO(state["model_"])) as archive:
        assert json.loads(archive.read("config.json"))["class_name"] == "Functional"

    lambda_model = keras.Sequential([keras.Input((6,)), keras.layers.Lambda(lambda x: x + 1)])
    state["model_"] = _keras_bytes(lambda_model, tmp_path)
    # What pickle.load and joblib.load do with the state of the file.
    with pytest.raises(ValueError, match="saved state of a DenoisingAutoencoder.*'Lambda'"):
        DenoisingAutoencoder.__new__(DenoisingAutoencoder).__setstate__(state)
