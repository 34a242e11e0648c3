"""Safe saving and loading, and what pickle is for."""

import ast
import importlib
import inspect
import io
import json
import os
import zipfile

import keras
import numpy as np
import pytest

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser, MaskingNoiser, SaltPepperNoiser
from skdenoise._batch_sources import SAFE_NOISERS


@pytest.fixture(scope="module")
def fitted(digits):
    return DenoisingAutoencoder(
        latent_dim=8, epochs=1, noise=GaussianNoiser(0.3, clip=(0.0, 1.0)), random_state=0
    ).fit(digits[:200])


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "dae.skd"
    fitted.save(path)
    return path


def test_round_trip_gives_identical_outputs(fitted, saved, digits):
    loaded = skdenoise.load(saved)
    assert loaded.get_params(deep=True).keys() == fitted.get_params(deep=True).keys()
    assert repr(loaded) == repr(fitted)
    assert loaded.noise.clip == (0.0, 1.0) and loaded.noise.noise_factor == 0.3
    for method in ["transform", "predict"]:
        np.testing.assert_array_equal(
            getattr(loaded, method)(digits[200:230]), getattr(fitted, method)(digits[200:230])
        )
    assert loaded.score(digits[200:230]) == fitted.score(digits[200:230])
    assert loaded.history_ == fitted.history_ and loaded.n_iter_ == fitted.n_iter_
    assert loaded.image_shape_ == fitted.image_shape_


def test_loaded_estimator_can_keep_training(saved, digits):
    loaded = skdenoise.load(saved).set_params(warm_start=True)
    loaded.fit(digits[:100])
    assert loaded.n_iter_ == 2


def test_feature_names_survive(tabular, tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(tabular, columns=[f"c{i}" for i in range(tabular.shape[1])])
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(frame)
    dae.save(tmp_path / "f.skd")
    loaded = skdenoise.load(tmp_path / "f.skd")
    assert list(loaded.feature_names_in_) == list(frame.columns)


def _rewrite(path, target, *, document=None, model_config=None, model_bytes=None):
    with zipfile.ZipFile(path) as archive:
        estimator_json = json.loads(archive.read("estimator.json"))
        keras_bytes = archive.read("model.keras")
    if document is not None:
        estimator_json = document(estimator_json)
    if model_config is not None:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(keras_bytes)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.namelist():
                data = src.read(item)
                if item == "config.json":
                    data = json.dumps(model_config(json.loads(data))).encode()
                dst.writestr(item, data)
        keras_bytes = out.getvalue()
    if model_bytes is not None:
        keras_bytes = model_bytes
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("estimator.json", json.dumps(estimator_json))
        archive.writestr("model.keras", keras_bytes)
    return target


def test_files_that_saved_the_width_of_the_codes_still_load(saved, tmp_path, fitted, digits):
    def with_width(width):
        def document(estimator_json):
            estimator_json["fitted"]["_n_features_out"] = width
            return estimator_json

        return document

    old = _rewrite(saved, tmp_path / "old.skd", document=with_width(8))
    loaded = skdenoise.load(old)
    assert "_n_features_out" not in vars(loaded)
    np.testing.assert_array_equal(loaded.transform(digits[:5]), fitted.transform(digits[:5]))
    with pytest.raises(ValueError, match="codes have 7 values, but its model's have 8"):
        skdenoise.load(_rewrite(saved, tmp_path / "wrong.skd", document=with_width(7)))


def test_a_lambda_layer_is_refused(saved, tmp_path):
    lambda_model = keras.Sequential([keras.Input((784,)), keras.layers.Lambda(lambda x: x * 2)])
    keras_path = tmp_path / "lambda.keras"
    lambda_model.save(keras_path)
    bad = _rewrite(saved, tmp_path / "bad.skd", model_bytes=keras_path.read_bytes())
    with pytest.raises(ValueError, match="'Lambda'.*refusing"):
        skdenoise.load(bad)


def test_a_config_naming_an_arbitrary_callable_is_refused(saved, tmp_path):
    def swap_activation(config):
        text = json.dumps(config).replace('"activation": "sigmoid"', '"activation": "os.system"')
        return json.loads(text)

    with pytest.raises(ValueError, match="activation 'os.system'"):
        skdenoise.load(_rewrite(saved, tmp_path / "a.skd", model_config=swap_activation))

    def swap_module(config):
        text = json.dumps(config).replace('"module": "keras.layers"', '"module": "os"', 1)
        return json.loads(text)

    with pytest.raises(ValueError, match="module 'os'"):
        skdenoise.load(_rewrite(saved, tmp_path / "m.skd", model_config=swap_module))

    def evil_noise(document):
        document["params"]["noise"] = {"class": "subprocess.Popen", "params": {}}
        return document

    with pytest.raises(ValueError, match="only GaussianNoiser"):
        skdenoise.load(_rewrite(saved, tmp_path / "n.skd", document=evil_noise))

    def unknown_param(document):
        document["params"]["__class__"] = "x"
        return document

    with pytest.raises(ValueError, match="unknown"):
        skdenoise.load(_rewrite(saved, tmp_path / "p.skd", document=unknown_param))


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage" * 100, "truncate"],
    ids=["empty", "garbage", "truncated"],
)
def test_damaged_files_give_one_clear_error(saved, tmp_path, content):
    path = tmp_path / "damaged.skd"
    if content == "truncate":
        content = saved.read_bytes()[: os.path.getsize(saved) // 2]
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a readable skdenoise estimator file"):
        skdenoise.load(path)


def test_other_zip_files_are_refused(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValueError, match="no 'estimator.json'"):
        skdenoise.load(path)


def test_missing_file_is_an_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        skdenoise.load(tmp_path / "nope.skd")


def test_unfitted_estimator_cannot_be_saved(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        DenoisingAutoencoder().save(tmp_path / "x.skd")
    assert not (tmp_path / "x.skd").exists()


def test_noise_outside_the_safe_format_is_refused_at_save(tabular, tmp_path):
    class MyNoise(GaussianNoiser):
        pass

    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, noise=MyNoise(), random_state=0).fit(
        tabular
    )
    with pytest.raises(ValueError, match="use pickle or joblib"):
        dae.save(tmp_path / "x.skd")


def test_score_noise_is_saved(tabular, tmp_path):
    dae = DenoisingAutoencoder(
        latent_dim=2, epochs=1, score_noise=GaussianNoiser(0.2), random_state=0
    ).fit(tabular)
    dae.save(tmp_path / "s.skd")
    loaded = skdenoise.load(tmp_path / "s.skd")
    assert loaded.score_noise.noise_factor == 0.2
    assert loaded.score(tabular) == dae.score(tabular)


@pytest.mark.parametrize("noiser_class", list(SAFE_NOISERS.values()), ids=list(SAFE_NOISERS))
def test_every_safe_noiser_is_saved_with_its_parameters(noiser_class, tabular, tmp_path):
    noise = noiser_class(random_state=3)
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, noise=noise, random_state=0)
    dae.fit(tabular).save(tmp_path / "n.skd")
    loaded = skdenoise.load(tmp_path / "n.skd")
    assert type(loaded.noise) is noiser_class
    assert loaded.noise.get_params() == noise.get_params()
    assert loaded.score(tabular) == dae.score(tabular)


def test_masking_and_salt_pepper_noise_are_saved_with_their_parameters(tabular, tmp_path):
    dae = DenoisingAutoencoder(
        latent_dim=2,
        epochs=1,
        noise=MaskingNoiser(fraction=0.4, value=-1.0, random_state=5),
        score_noise=SaltPepperNoiser(fraction=0.2, low=0.05),
        random_state=0,
    ).fit(tabular)
    dae.save(tmp_path / "c.skd")
    with zipfile.ZipFile(tmp_path / "c.skd") as archive:
        params = json.loads(archive.read("estimator.json"))["params"]
    assert params["noise"]["class"] == "MaskingNoiser"
    assert params["score_noise"]["params"]["high"] == "auto"
    loaded = skdenoise.load(tmp_path / "c.skd")
    assert repr(loaded) == repr(dae)
    assert loaded.get_params()["noise__value"] == -1.0
    assert loaded.get_params()["score_noise__low"] == 0.05
    assert loaded.score(tabular) == dae.score(tabular)


@pytest.mark.parametrize("module", ["_persistence", "_estimator_state"])
def test_the_persistence_modules_do_not_import_the_estimator(module):
    # The file format and the list of saved attributes know nothing of the
    # estimator's module, so the two never import each other.
    tree = ast.parse(inspect.getsource(importlib.import_module(f"skdenoise.{module}")))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert "_autoencoder" not in imported and "skdenoise._autoencoder" not in imported


def test_set_output_survives(tabular, tmp_path):
    pd = pytest.importorskip("pandas")
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(tabular)
    dae.set_output(transform="pandas").save(tmp_path / "pandas.skd")
    codes = skdenoise.load(tmp_path / "pandas.skd").transform(tabular[:3])
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.columns) == list(dae.get_feature_names_out())


def test_a_malformed_output_configuration_is_refused(saved, tmp_path):
    def run_code(document):
        document["fitted"]["_sklearn_output_config"] = {"transform": "os.system"}
        return document

    with pytest.raises(ValueError, match="malformed output configuration"):
        skdenoise.load(_rewrite(saved, tmp_path / "o.skd", document=run_code))


def test_save_and_load_binary_file_objects(fitted, digits):
    buffer = io.BytesIO()
    fitted.save(buffer)
    buffer.seek(0)
    loaded = skdenoise.load(buffer)
    np.testing.assert_array_equal(loaded.transform(digits[:5]), fitted.transform(digits[:5]))


def test_load_from_an_open_file(fitted, saved, digits):
    with open(saved, "rb") as file:
        loaded = skdenoise.load(file)
    np.testing.assert_array_equal(loaded.predict(digits[:5]), fitted.predict(digits[:5]))


def test_saving_into_a_missing_folder_names_the_folder(fitted, tmp_path):
    target = tmp_path / "missing" / "dae.skd"
    with pytest.raises(FileNotFoundError, match="missing") as error:
        fitted.save(target)
    assert ".partial" not in str(error.value)
    assert not (tmp_path / "missing").exists()


def test_a_joblib_file_is_named_with_a_hint(fitted, tmp_path):
    joblib = pytest.importorskip("joblib")
    path = tmp_path / "dae.joblib"
    joblib.dump(fitted, path)
    with pytest.raises(ValueError, match="dae.joblib.*pickle or joblib file"):
        skdenoise.load(path)


def test_a_keras_file_is_named_with_a_hint(fitted, tmp_path):
    path = tmp_path / "model.keras"
    fitted.model_.save(path)
    with pytest.raises(ValueError, match="model.keras.*Keras model file"):
        skdenoise.load(path)
