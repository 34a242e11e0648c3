"""ONNX export of autoencoders and of whole pipelines, checked in ONNX Runtime."""

import sys

import keras
import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler

from skdenoise import DenoisingAutoencoder

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")
pytest.importorskip("skl2onnx")

from skdenoise.onnx import UnsupportedModelError, to_onnx  # noqa: E402

ATOL = 1e-5


def _run(onnx_model, X):
    session = ort.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"X": np.asarray(X, dtype=np.float32)})


def _perturb_batch_norm(dae, seed=0):
    # Statistics far from their initial values, so a wrong batch
    # normalization (or none) cannot pass for the right one.
    rng = np.random.RandomState(seed)
    for layer in [*dae.encoder_.layers, *dae.decoder_.layers]:
        if isinstance(layer, keras.layers.BatchNormalization):
            size = layer.moving_mean.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, size))
            layer.beta.assign(rng.normal(0, 0.3, size))
            layer.moving_mean.assign(rng.normal(0, 0.5, size))
            layer.moving_variance.assign(rng.uniform(0.5, 2.0, size))
    dae._inference_functions = {}


@pytest.fixture(scope="module")
def shuffled_digits(mnist_sample):
    return mnist_sample[0][:240], mnist_sample[1][:240]


@pytest.mark.parametrize(
    "architecture, shape",
    [
        ("dense", (784,)),
        # Odd sizes: "same" pooling pads at the end, the decoder crops.
        ("conv", (9, 9)),
        ("conv", (12, 10, 2)),
    ],
    ids=["dense", "conv-9x9", "conv-12x10x2"],
)
def test_autoencoder_transform_and_predict_match(architecture, shape, shuffled_digits):
    X = shuffled_digits[0][:, : int(np.prod(shape))].reshape(-1, *shape)
    dae = DenoisingAutoencoder(
        latent_dim=5,
        epochs=1,
        architecture=architecture,
        hidden_layer_sizes=(32,),
        validation_fraction=None,
        random_state=0,
    ).fit(X[:160])
    _perturb_batch_norm(dae)
    # Images as image arrays and as flat rows, both given to the estimator.
    for X_test in [X[160:200], X[160:200].reshape(40, -1)]:
        for method in ["transform", "predict"]:
            onnx_model = to_onnx(dae, X_test[:1], method=method)
            assert [output.name for output in onnx_model.graph.output] == [method]
            (output,) = _run(onnx_model, X_test)
            expected = getattr(dae, method)(X_test)
            assert output.shape == expected.shape
            np.testing.assert_allclose(output, expected, rtol=0, atol=ATOL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pipeline_with_scaler_and_classifier_is_one_graph(dtype, shuffled_digits):
    X, y = shuffled_digits
    X = X.astype(dtype)
    pipe = make_pipeline(
        StandardScaler(),
        DenoisingAutoencoder(latent_dim=6, epochs=1, architecture="dense", random_state=0),
        LogisticRegression(max_iter=300),
    ).fit(X, y)
    onnx_model = to_onnx(pipe, X[:1], options={LogisticRegression: {"zipmap": False}})
    assert "Gemm" in {node.op_type for node in onnx_model.graph.node}  # the autoencoder
    assert onnx_model.graph.input[0].type.tensor_type.elem_type == (
        onnx.TensorProto.DOUBLE if dtype == np.float64 else onnx.TensorProto.FLOAT
    )
    session = ort.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    labels, probabilities = session.run(None, {"X": X})
    np.testing.assert_array_equal(labels, pipe.predict(X))
    np.testing.assert_allclose(probabilities, pipe.predict_proba(X), rtol=0, atol=ATOL)


def test_feature_union_with_pca_is_one_graph(shuffled_digits):
    # 10x10 images as flat rows: the autoencoder is convolutional.
    X = shuffled_digits[0][:, :100]
    union = make_union(
        PCA(n_components=4), DenoisingAutoencoder(latent_dim=3, epochs=1, random_state=0)
    ).fit(X)
    assert union.transformer_list[1][1].architecture_ == "conv"
    _perturb_batch_norm(union.transformer_list[1][1])
    (output,) = _run(to_onnx(union, X[:1]), X)
    np.testing.assert_allclose(output, union.transform(X), rtol=0, atol=ATOL)


def test_all_hidden_exports_the_concatenation_transform_returns(tabular):
    y = (tabular[:, 0] > np.median(tabular[:, 0])).astype(int)
    dae = DenoisingAutoencoder(
        latent_dim=4, hidden_layer_sizes=(16, 8), features="all_hidden", epochs=1, random_state=0
    ).fit(tabular)
    (output,) = _run(to_onnx(dae, tabular[:1]), tabular)
    assert output.shape == (len(tabular), 16 + 8 + 4 + 8 + 16)
    np.testing.assert_allclose(output, dae.transform(tabular), rtol=0, atol=ATOL)
    # Inside the user guide's recipe, raw features beside the hidden ones.
    pipe = make_pipeline(make_union("passthrough", dae), LogisticRegression(max_iter=300)).fit(
        tabular, y
    )
    onnx_model = to_onnx(pipe, tabular[:1], options={LogisticRegression: {"zipmap": False}})
    _, probabilities = _run(onnx_model, tabular)
    np.testing.assert_allclose(probabilities, pipe.predict_proba(tabular), rtol=0, atol=ATOL)
    # features is a transform-time option: the export follows set_params.
    dae.set_params(features="latent")
    (output,) = _run(to_onnx(dae, tabular[:1]), tabular)
    np.testing.assert_allclose(output, dae.transform(tabular), rtol=0, atol=ATOL)
    assert output.shape == (len(tabular), 4)


def test_unsupported_layers_and_activations_are_named(tabular):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(tabular)
    encoder = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(4, activation="relu", name="hidden"),
            keras.layers.Dropout(0.1, name="dropout"),
            keras.layers.Dense(2),
        ],
        name="encoder",
    )
    inputs = keras.Input((12,))
    dae.model_ = keras.Model(inputs, dae.decoder_(encoder(inputs)))
    with pytest.raises(UnsupportedModelError, match="layer 'dropout' of class Dropout"):
        to_onnx(dae, tabular[:1])

    encoder.get_layer("hidden").activation = keras.activations.tanh
    with pytest.raises(UnsupportedModelError, match="'hidden' with activation 'tanh'"):
        to_onnx(dae, tabular[:1])


def test_bad_arguments_are_clear_errors(tabular):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0).fit(tabular)
    with pytest.raises(ValueError, match="method must be one of"):
        to_onnx(dae, tabular[:1], method="inverse_transform")
    with pytest.raises(ValueError, match="takes none"):
        to_onnx(dae, tabular[:1], options={LogisticRegression: {"zipmap": False}})
    with pytest.raises(ValueError, match="target_opset=12 is too old"):
        to_onnx(dae, tabular[:1], target_opset=12)
    with pytest.raises(ValueError, match="applies to a DenoisingAutoencoder on its own"):
        to_onnx(make_pipeline(StandardScaler(), dae), tabular[:1], method="predict")
    with pytest.raises(ValueError, match="X has 3 features"):
        to_onnx(dae, tabular[:1, :3])


def test_missing_extra_is_one_import_error_naming_it(monkeypatch, tabular):
    # None in sys.modules makes `import skl2onnx` fail, as if not installed.
    monkeypatch.setitem(sys.modules, "skl2onnx", None)
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0)
    with pytest.raises(ImportError, match=r'pip install "skdenoise\[onnx\]"') as error:
        to_onnx(dae, tabular[:1])
    assert "ONNX export needs the optional packages onnx and skl2onnx" in str(error.value)
