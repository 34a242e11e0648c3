"""Every configuration agrees on every output path, or refuses clearly.

The contract matrix: each row of ``ROWS`` is a configuration, each test
function a column, an output path applied to every row (as scikit-learn's
``check_estimator`` applies each check to every estimator). Every cell
gives the in-process answer (bitwise where the path only moves the model,
to 1e-5 through ONNX) or refuses with an error naming the option, listed
in the row's ``"refuses"``. A new option joins by adding one row.

The models are tiny and fitted once per row, for the module.
"""

import contextlib
import functools
import io
import pickle
import re

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import skdenoise
from skdenoise import (
    BlindSpotNoiser,
    DenoisingAutoencoder,
    MaskingNoiser,
    SaltPepperNoiser,
    SwapNoiser,
)
from skdenoise.pretrained import photo_denoiser

N_SAMPLES = 40
ATOL = 1e-5
# The parameters every row starts from; a row's "params" override them.
BASE_PARAMS = dict(latent_dim=3, hidden_layer_sizes=(8,), epochs=1, batch_size=16, random_state=0)


def _table():
    return np.random.RandomState(0).uniform(size=(N_SAMPLES, 6)).astype(np.float32)


def _images(*channels):
    rng = np.random.RandomState(0)
    return rng.uniform(size=(N_SAMPLES, 8, 8, *channels)).astype(np.float32)


def _sparse():
    table = _table()
    table[table < 0.5] = 0
    return sp.csr_matrix(table)


def _photos():
    """Colour images of different sizes, larger than the patches."""
    rng = np.random.RandomState(1)
    return [rng.uniform(size=shape).astype(np.float32) for shape in [(20, 24, 3), (12, 30, 3)]]


def _patch_sized_photos():
    """Colour images of the ready models' patch size, 40 x 40."""
    return np.random.RandomState(4).uniform(size=(N_SAMPLES, 40, 40, 3)).astype(np.float32)


def _large_photos():
    """Colour images of different sizes, larger than the ready models' patches."""
    rng = np.random.RandomState(3)
    return [rng.uniform(size=shape).astype(np.float32) for shape in [(44, 50, 3), (41, 56, 3)]]


def _frame():
    pd = pytest.importorskip("pandas")
    return pd.DataFrame(_table(), columns=[f"f{i}" for i in range(6)])


# One row per configuration:
#   data: a function giving X;
#   fit_data: a function giving the X of fit, where it is not `data`;
#   fit_params: a function giving the keyword arguments of fit;
#   params: DenoisingAutoencoder parameters over BASE_PARAMS;
#   estimator: a function giving the estimator instead (a ready model, which
#     fit fine-tunes); a fresh one of it stands for a clone in "clone_refit";
#   after_fit: parameters set with set_params once fitted;
#   output: set_output's transform container, if set;
#   refuses: column -> regex of the ValueError naming the option refused.
#     Columns: "fit", "transform", "inverse_transform", "save_load",
#     "pickle", "skops", "onnx_transform", "onnx_predict", "onnx_pipeline",
#     "clone_refit", "image_list", "refit_other_size". A row refused at
#     "fit" has no other cell.
#     Where a column has a DEFAULT_REFUSALS entry, rows refuse it unless
#     their "refuses" maps it to None.
ROWS = {
    "dense_codes": dict(data=_table),
    "dense_all_hidden": dict(
        data=_table,
        params=dict(hidden_layer_sizes=(8, 4), features="all_hidden"),
        refuses={"inverse_transform": r"features='all_hidden'"},
    ),
    # features is a transform-time option: every path follows it.
    "dense_all_hidden_set_after_fit": dict(
        data=_table,
        params=dict(hidden_layer_sizes=(8, 4)),
        after_fit=dict(features="all_hidden"),
        refuses={"inverse_transform": r"features='all_hidden'"},
    ),
    "conv_all_hidden": dict(
        data=lambda: _images(), params=dict(features="all_hidden"), refuses={"fit": "all_hidden"}
    ),
    "conv_grey": dict(data=lambda: _images()),
    "conv_rgb": dict(data=lambda: _images(3)),
    "fully_conv_grey": dict(
        data=lambda: _images(),
        params=dict(architecture="fully_conv"),
        refuses={"inverse_transform": "fully_conv", "image_list": None},
    ),
    "swap_noise": dict(data=_table, params=dict(noise=SwapNoiser(0.2))),
    "masking_noise": dict(data=_table, params=dict(noise=MaskingNoiser(0.2))),
    "salt_pepper_noise": dict(data=_table, params=dict(noise=SaltPepperNoiser(0.1))),
    "sparse_input": dict(data=_sparse),
    "pandas_output": dict(data=_frame, output="pandas"),
    # Trained on patches of photos, it takes images of the patch size, and
    # reads a 2-D array as one grey photo, not as rows.
    "conv_patches": dict(
        data=lambda: _images(3),
        fit_data=_photos,
        params=dict(patch_size=8),
        refuses={"onnx_pipeline": r"images of shape \(40, 192\)"},
    ),
    "sample_weight": dict(
        data=_table, fit_params=lambda: dict(sample_weight=np.linspace(0.1, 2, N_SAMPLES))
    ),
    # Fitted on photos, it reads a 2-D array as one grey photo, not as rows.
    "fully_conv_patches": dict(
        data=lambda: _images(3),
        fit_data=_photos,
        params=dict(architecture="fully_conv", patch_size=8),
        refuses={
            "inverse_transform": "fully_conv",
            "image_list": None,
            "onnx_pipeline": "one grey image of shape",
        },
    ),
    # Noisy data alone: masked inputs, the loss at the masked entries.
    "blind_spot_table": dict(data=_table, params=dict(noise=BlindSpotNoiser(0.2))),
    "blind_spot_conv": dict(data=lambda: _images(), params=dict(noise=BlindSpotNoiser())),
    "blind_spot_fully_conv_patches": dict(
        data=lambda: _images(3),
        fit_data=_photos,
        params=dict(architecture="fully_conv", patch_size=8, noise=BlindSpotNoiser()),
        refuses={
            "inverse_transform": "fully_conv",
            "image_list": None,
            "onnx_pipeline": "one grey image of shape",
        },
    ),
    # A ready model: shipped fitted, fine-tuned by fit (warm_start).
    # The grey one differs in its channels only (tests/test_pretrained.py).
    "ready_photo_denoiser": dict(
        data=_patch_sized_photos,
        fit_data=_large_photos,
        estimator=lambda: photo_denoiser(color=True).set_params(epochs=1, batch_size=16),
        refuses={
            "inverse_transform": "fully_conv",
            "image_list": None,
            "onnx_pipeline": "one grey image of shape",
        },
    ),
    # One weight per photo.
    "patches_sample_weight": dict(
        data=lambda: _images(3),
        fit_data=_photos,
        fit_params=lambda: dict(sample_weight=[1.0, 0.25]),
        params=dict(patch_size=8),
        refuses={"onnx_pipeline": r"images of shape \(40, 192\)"},
    ),
}


# Only networks of images of any size take a list of images of different sizes.
DEFAULT_REFUSALS = {"image_list": r"list of images of different sizes .*, but"}


class Case:
    """One row, fitted: the estimator, its data and its in-process answers.

    The fit's outcome is kept, not raised: ``test_fit`` judges it, and a
    row refused at fit has no other cell.
    """

    def __init__(self, name, row):
        self.name = name
        self.row = row
        self.X = row["data"]()
        self.fit_X = row["fit_data"]() if "fit_data" in row else self.X
        self.fit_params = row["fit_params"]() if "fit_params" in row else {}
        self.estimator = self.new_estimator()
        self.iterations_before = getattr(self.estimator, "n_iter_", 0)
        if "output" in row:
            self.estimator.set_output(transform=row["output"])
        try:
            self.estimator.fit(self.fit_X, **self.fit_params)
        except Exception as error:  # judged by test_fit
            self.fit_error = error
        else:
            self.fit_error = None
            self.estimator.set_params(**row.get("after_fit", {}))

    def new_estimator(self):
        """The row's estimator, as yet unfitted by this row."""
        if "estimator" in self.row:
            return self.row["estimator"]()
        return DenoisingAutoencoder(**{**BASE_PARAMS, **self.row.get("params", {})})

    @property
    def dense_X(self):
        """X as an ndarray of the shape it was given in, for ONNX Runtime."""
        X = self.X.toarray() if sp.issparse(self.X) else np.asarray(self.X)
        return X.astype(np.float32)

    @property
    def in_process_X(self):
        """X for the estimator itself: a frame stays one, to keep its column names."""
        return self.X if hasattr(self.X, "columns") else self.dense_X

    @functools.cached_property
    def expected(self):
        """The in-process answers, computed by the first column that needs them."""
        return answers(self.fitted(), self.X)

    def refusal(self, column):
        refuses = self.row.get("refuses", {})
        return refuses[column] if column in refuses else DEFAULT_REFUSALS.get(column)

    def fitted(self):
        """The fitted estimator; a row refused at fit has no other cell."""
        if self.refusal("fit") is not None:
            pytest.skip(f"{self.name} is refused at fit, as checked by test_fit")
        if self.fit_error is not None:
            pytest.fail(f"{self.name} failed to fit: {self.fit_error!r}")
        return self.estimator


@contextlib.contextmanager
def refused_or_not(case, column):
    """Run the block; where the row refuses `column`, expect its ValueError.

    The block stops at the error, so what follows the refused call inside
    it does not run.
    """
    refusal = case.refusal(column)
    if refusal is None:
        yield
    else:
        with pytest.raises(ValueError, match=refusal):
            yield


def answers(estimator, X):
    """What the output paths give in process, as ndarrays."""
    return {
        "transform": np.asarray(estimator.transform(X)),
        "predict": np.asarray(estimator.predict(X)),
        "score_samples": estimator.score_samples(X),
    }


@pytest.fixture(scope="module", params=list(ROWS), ids=list(ROWS))
def case(request):
    return Case(request.param, ROWS[request.param])


def _assert_same_answers(estimator, case, exact=True):
    assert_same = np.testing.assert_array_equal if exact else _assert_close
    for path, value in answers(estimator, case.X).items():
        assert_same(value, case.expected[path], err_msg=path)


def _assert_close(actual, expected, err_msg=""):
    np.testing.assert_allclose(actual, expected, rtol=0, atol=ATOL, err_msg=err_msg)


# ----------------------------------------------------------------- columns


def test_fit(case):
    refusal = case.refusal("fit")
    if refusal is not None:
        assert isinstance(case.fit_error, ValueError), repr(case.fit_error)
        assert re.search(refusal, str(case.fit_error)), str(case.fit_error)
        return
    assert case.fit_error is None, repr(case.fit_error)
    estimator = case.estimator
    params = estimator.get_params()
    # The sample the model takes is one sample of X, flattened.
    assert estimator.n_features_in_ == case.dense_X[0].size
    default = "conv" if case.dense_X.ndim > 2 else "dense"
    expected = default if params["architecture"] == "auto" else params["architecture"]
    assert estimator.architecture_ == expected
    # A ready model's fit continues its training.
    assert estimator.n_iter_ == case.iterations_before + params["epochs"]
    assert "loss" in estimator.history_
    for name, values in estimator.history_.items():
        assert len(values) == estimator.n_iter_, name
        assert np.all(np.isfinite(values)), name
    for name, value in case.row.get("after_fit", {}).items():
        assert params[name] == value


def test_transform_predict_and_score_samples(case):
    estimator = case.fitted()
    expected = case.expected
    assert expected["transform"].shape[0] == N_SAMPLES
    assert expected["predict"].shape == np.shape(case.X)
    assert expected["score_samples"].shape == (N_SAMPLES,)
    for value in expected.values():
        assert np.all(np.isfinite(value))
    if case.row.get("output") == "pandas":
        codes = estimator.transform(case.X)
        assert list(codes.columns) == list(estimator.get_feature_names_out())


def test_inverse_transform_or_its_refusal(case):
    estimator = case.fitted()
    with refused_or_not(case, "inverse_transform"):
        decoded = np.asarray(estimator.inverse_transform(case.expected["transform"]))
        assert decoded.shape == (N_SAMPLES, estimator.n_features_in_)
        # Decoding the codes is the second half of predict.
        _assert_close(decoded, case.expected["predict"].reshape(N_SAMPLES, -1))


def test_feature_names_have_the_width_of_transform(case):
    names = case.fitted().get_feature_names_out()
    assert len(names) == case.expected["transform"].shape[1]
    assert len(set(names)) == len(names)


def test_save_and_load(case):
    estimator = case.fitted()
    with refused_or_not(case, "save_load"):
        buffer = io.BytesIO()
        estimator.save(buffer)
        buffer.seek(0)
        _assert_same_answers(skdenoise.load(buffer), case)


def test_pickle(case):
    estimator = case.fitted()
    with refused_or_not(case, "pickle"):
        _assert_same_answers(pickle.loads(pickle.dumps(estimator)), case)


def test_skops(case):
    sio = pytest.importorskip("skops.io")
    estimator = case.fitted()
    with refused_or_not(case, "skops"):
        data = sio.dumps(estimator)
        loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
        _assert_same_answers(loaded, case)


def _onnx_session(model, X_sample, **kwargs):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    onnx_model = to_onnx(model, X_sample, **kwargs)
    return ort.InferenceSession(onnx_model.SerializeToString(), providers=["CPUExecutionProvider"])


@pytest.mark.parametrize("method", ["transform", "predict"])
def test_onnx_alone(case, method):
    estimator = case.fitted()
    with refused_or_not(case, f"onnx_{method}"):
        session = _onnx_session(estimator, case.in_process_X[:1], method=method)
        (output,) = session.run(None, {"X": case.dense_X})
        _assert_close(output, case.expected[method])


def test_onnx_in_a_pipeline(case):
    estimator = case.fitted()
    # Pipelines take flat rows. The scaler feeds the fitted autoencoder
    # inputs it was not fitted on: only agreement is checked here.
    X = case.dense_X.reshape(N_SAMPLES, -1)
    # In process a frame stays one, so that its column names reach the autoencoder.
    frame = hasattr(case.X, "columns")
    X_in_process = case.X if frame else X
    scaler = StandardScaler().set_output(transform="pandas" if frame else "default")
    scaler.fit(X_in_process)
    with refused_or_not(case, "onnx_pipeline"):
        features = estimator.transform(scaler.transform(X_in_process))
        y = np.arange(N_SAMPLES) % 2
        pipe = Pipeline(
            [
                ("scale", scaler),
                ("dae", estimator),
                ("classify", LogisticRegression().fit(features, y)),
            ]
        )
        session = _onnx_session(pipe, X[:1], options={LogisticRegression: {"zipmap": False}})
        labels, probabilities = session.run(None, {"X": X})
        _assert_close(probabilities, pipe.predict_proba(X_in_process))
        np.testing.assert_array_equal(labels, pipe.predict(X_in_process))


def test_clone_and_refit_with_the_same_random_state(case):
    estimator = case.fitted()
    fresh = case.new_estimator() if "estimator" in case.row else clone(estimator)
    with refused_or_not(case, "clone_refit"):
        _assert_same_answers(fresh.fit(case.fit_X, **case.fit_params), case)


def test_a_list_of_images_of_different_sizes_or_its_refusal(case):
    estimator = case.fitted()
    shape = estimator.image_shape_
    channels = () if shape is None or shape[2] == 1 else shape[2:]
    rng = np.random.RandomState(2)
    images = [
        rng.uniform(size=(*size, *channels)).astype(np.float32) for size in [(9, 7), (6, 11)]
    ]
    answers = {}
    for method in ["predict", "transform", "score_samples", "score"]:
        with refused_or_not(case, "image_list"):
            answers[method] = getattr(estimator, method)(images)
    if case.refusal("image_list") is not None:
        return
    # Each image is answered as a stack of one would be, and the answers joined.
    alone = [estimator.predict(image[np.newaxis])[0] for image in images]
    for denoised, expected in zip(answers["predict"], alone, strict=True):
        np.testing.assert_array_equal(denoised, expected)
    stacked = {
        method: np.concatenate([getattr(estimator, method)(image[np.newaxis]) for image in images])
        for method in ["transform", "score_samples"]
    }
    for method, expected in stacked.items():
        np.testing.assert_array_equal(np.asarray(answers[method]), expected, err_msg=method)
    sizes = [image.size for image in images]
    expected_score = np.average(
        [estimator.score(image[np.newaxis]) for image in images], weights=sizes
    )
    assert answers["score"] == pytest.approx(expected_score, rel=1e-6)


def _other_size(X):
    """Samples like `X`, but of another size: two more features, or pixels a side."""
    if isinstance(X, list):
        return [np.pad(image, ((0, 2), (0, 2), (0, 0)), mode="edge") for image in X]
    if sp.issparse(X):
        return sp.hstack([X, X[:, :2]], format="csr")
    if hasattr(X, "columns"):
        return X.assign(extra0=X.iloc[:, 0], extra1=X.iloc[:, 1])
    if X.ndim == 2:
        return np.hstack([X, X[:, :2]])
    return np.pad(X, [(0, 0), (0, 2), (0, 2)] + [(0, 0)] * (X.ndim - 3), mode="edge")


def test_a_refit_on_samples_of_another_size_leaves_this_one_as_it_was(case):
    # Traced steps are shared between fits in a process: one of another
    # sample (or patch) size must neither fail nor change this model.
    estimator = case.fitted()
    with refused_or_not(case, "refit_other_size"):
        other = clone(estimator)
        if estimator.patch_size is not None:
            other.set_params(patch_size=estimator.patch_size + 2)
        other_X = _other_size(case.fit_X)
        other.fit(other_X, **case.fit_params)
        if isinstance(other_X, list):
            # One patch: what networks of one image size take.
            side = other.patch_size
            sample = other_X[0][np.newaxis, :side, :side]
        else:
            sample = other_X[:3]
        predicted = np.asarray(other.predict(sample))
        assert predicted.shape == np.shape(sample)
        assert np.all(np.isfinite(predicted))
        _assert_same_answers(estimator, case)
