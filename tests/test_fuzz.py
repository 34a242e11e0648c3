"""Generated bad inputs: each gets a clear ValueError or TypeError, fast.

Every example here is invalid, so no training runs: a hang or a TensorFlow
error would show as a deadline overrun or an unexpected exception type.
Malformed files each give one ValueError naming the file.
"""

import copy
import functools
import io
import json
import zipfile

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import skdenoise
from skdenoise import DenoisingAutoencoder, GaussianNoiser

FUZZ = settings(
    max_examples=100,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
N_FEATURES = 12
LATENT_DIM = 3


@pytest.fixture(scope="module")
def fitted(tabular_module):
    return DenoisingAutoencoder(
        latent_dim=LATENT_DIM, hidden_layer_sizes=(8,), epochs=1, random_state=0
    ).fit(tabular_module)


@pytest.fixture(scope="module")
def tabular_module():
    return np.random.RandomState(0).uniform(size=(60, N_FEATURES)).astype(np.float32)


def _assert_clear_error(error, *fragments):
    assert type(error) in (ValueError, TypeError), f"{type(error).__name__}: {error}"
    assert "tensorflow" not in type(error).__module__
    message = str(error)
    assert any(fragment.lower() in message.lower() for fragment in fragments), message


non_finite = st.sampled_from([np.nan, np.inf, -np.inf])
# Finite in float64 but not in float32, which the models compute in.
non_finite_or_huge = st.sampled_from([np.nan, np.inf, -np.inf, 1e39, -1e300])
# Such a value overflows, with a RuntimeWarning, as scikit-learn's check_array
# casts it to float32, before the check that refuses it: expected here.
overflow_in_cast = pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")


@st.composite
def arrays_with_a_bad_value(draw, n_features=None, bad=non_finite_or_huge):
    n_samples = draw(st.integers(1, 8))
    width = n_features or draw(st.integers(1, 20))
    X = draw(
        hnp.arrays(
            np.float64,
            (n_samples, width),
            elements=st.floats(0, 1, allow_nan=False, allow_infinity=False),
        )
    )
    row, col = draw(st.integers(0, n_samples - 1)), draw(st.integers(0, width - 1))
    X[row, col] = draw(bad)
    return X


@overflow_in_cast
@FUZZ
@given(X=arrays_with_a_bad_value())
def test_fit_rejects_non_finite_and_huge_values(X):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, validation_fraction=None)
    with pytest.raises(Exception) as info:
        dae.fit(X)
    _assert_clear_error(info.value, "nan", "infinity", "too large")
    assert not hasattr(dae, "model_")


@overflow_in_cast
@FUZZ
@given(
    X=arrays_with_a_bad_value(n_features=N_FEATURES),
    method=st.sampled_from(["transform", "predict", "score"]),
)
def test_inference_rejects_non_finite_values(fitted, X, method):
    with pytest.raises(Exception) as info:
        getattr(fitted, method)(X)
    _assert_clear_error(info.value, "nan", "infinity", "too large")


@FUZZ
@given(
    shape=st.one_of(
        st.tuples(st.integers(0, 5), st.integers(0, 30).filter(lambda w: w != N_FEATURES)),
        st.tuples(st.integers(0, 5)),
        hnp.array_shapes(min_dims=3, max_dims=6, max_side=4),
        st.tuples(st.just(0), st.just(N_FEATURES)),
    ),
    method=st.sampled_from(["transform", "predict", "score", "partial_fit"]),
)
def test_wrong_shapes_and_widths_are_named(fitted, shape, method):
    X = np.full(shape, 0.5)
    with pytest.raises(Exception) as info:
        getattr(fitted, method)(X)
    _assert_clear_error(
        info.value, "features", "sample", "expected 2d", "shape", "images", "0 feature"
    )


@FUZZ
@given(
    dtype=st.sampled_from(["complex", "str", "bytes", "object-str", "datetime"]),
    n_samples=st.integers(1, 5),
    method=st.sampled_from(["fit", "transform", "predict", "score", "inverse_transform"]),
)
def test_non_numeric_dtypes_are_rejected(fitted, dtype, n_samples, method):
    width = LATENT_DIM if method == "inverse_transform" else N_FEATURES
    if dtype == "complex":
        X = np.full((n_samples, width), 0.5 + 1j)
    elif dtype == "str":
        X = np.full((n_samples, width), "a")
    elif dtype == "bytes":
        X = np.full((n_samples, width), b"x")
    elif dtype == "object-str":
        X = np.full((n_samples, width), "0.5x", dtype=object)
    else:
        X = np.full((n_samples, width), np.datetime64("2020-01-01"))
    estimator = DenoisingAutoencoder(latent_dim=2, epochs=1) if method == "fit" else fitted
    with pytest.raises(Exception) as info:
        getattr(estimator, method)(X)
    _assert_clear_error(info.value, "complex", "convert", "dtype", "string", "float", "dates")


@overflow_in_cast
@FUZZ
@given(
    Z=st.one_of(
        hnp.arrays(
            np.float32,
            st.tuples(st.integers(1, 4), st.integers(1, 8).filter(lambda w: w != LATENT_DIM)),
            elements=st.floats(-1, 1, width=32),
        ),
        arrays_with_a_bad_value(n_features=LATENT_DIM),
    )
)
def test_inverse_transform_rejects_bad_codes(fitted, Z):
    with pytest.raises(Exception) as info:
        fitted.inverse_transform(Z)
    _assert_clear_error(info.value, "latent_dim", "nan", "infinity", "too large")


@FUZZ
@given(
    X=st.one_of(
        arrays_with_a_bad_value(bad=non_finite),
        st.builds(lambda n: np.zeros((0, n)), st.integers(1, 5)),
        st.builds(lambda n: np.full((2, n), "s"), st.integers(1, 5)),
        st.builds(lambda n: np.full((2, n), 1j), st.integers(1, 5)),
        st.builds(lambda n: np.zeros(n), st.integers(1, 5)),
    ),
    noise_factor=st.floats(0, 10),
)
def test_gaussian_noiser_rejects_bad_input(X, noise_factor):
    with pytest.raises(Exception) as info:
        GaussianNoiser(noise_factor=noise_factor).fit_transform(X)
    _assert_clear_error(
        info.value, "nan", "infinity", "too large", "sample", "convert", "complex", "2d"
    )


@FUZZ
@given(data=st.data())
def test_targets_outside_the_loss_domain_are_named(data):
    X = data.draw(
        hnp.arrays(np.float64, (6, 3), elements=st.floats(0, 1)),
    )
    X[data.draw(st.integers(0, 5)), data.draw(st.integers(0, 2))] = data.draw(
        st.one_of(st.floats(1.001, 1e30), st.floats(-1e30, -0.001))
    )
    with pytest.raises(ValueError, match=r"needs X \(the clean target\) in \[0, 1\]"):
        DenoisingAutoencoder(latent_dim=2, epochs=1, loss="binary_crossentropy").fit(X)


# ------------------------------------------------------- malformed files

FILE_FUZZ = settings(
    max_examples=25,
    deadline=10000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Names a file could use to make the loader construct or call something.
HOSTILE_NAMES = [
    "os.system",
    "builtins.eval",
    "Lambda",
    "__lambda__",
    "FuzzTouch",
    "skdenoise_fuzz>FuzzTouch",
    "skdenoise_fuzz",
    "keras.src.layers.core.lambda_layer",
]
_json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([-1, 0, 2**31, 2**63, 10**30, 10**400]),
    st.floats(),
    st.text(max_size=6),
    st.sampled_from(HOSTILE_NAMES),
)
_json_values = st.recursive(
    _json_leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["class_name", "config", "module", "registered_name", "x"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=6,
)


def _json_paths(node, prefix=()):
    yield prefix
    if isinstance(node, (dict, list)):
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            yield from _json_paths(value, (*prefix, key))


@st.composite
def _mutated(draw, document):
    """`document` with one value replaced, removed, extended or wrapped."""
    document = copy.deepcopy(document)
    path = draw(st.sampled_from(list(_json_paths(document))[1:]))
    parent = functools.reduce(lambda node, key: node[key], path[:-1], document)
    key, value = path[-1], parent[path[-1]]
    operation = draw(st.sampled_from(["replace", "delete", "extra", "keras_dict"]))
    if operation == "replace":
        parent[key] = draw(_json_values)
    elif operation == "delete":
        del parent[key]
    elif operation == "extra" and isinstance(value, dict):
        value[draw(st.text(max_size=6))] = draw(_json_values)
    elif operation == "extra":
        parent[key] = [value, draw(_json_values)]
    else:
        # Keras's dict form of an object, where a plain value belongs.
        parent[key] = {
            "module": draw(st.sampled_from(["keras", *HOSTILE_NAMES])),
            "class_name": draw(st.sampled_from(HOSTILE_NAMES)),
            "config": value,
            "registered_name": draw(st.sampled_from([None, *HOSTILE_NAMES])),
        }
    return document


def _zip_replacing(data, name, content):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.namelist():
            dst.writestr(item, content if item == name else src.read(item))
    return out.getvalue()


def _member(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


@pytest.fixture(scope="module")
def touch_sentinel():
    """A Keras layer that records its construction, registered in this process.

    Without the checks, Keras would find it by its registered name and
    construct it while loading, even in safe mode.
    """

    @keras.saving.register_keras_serializable(package="skdenoise_fuzz")
    class FuzzTouch(keras.layers.Layer):
        constructed = []

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            FuzzTouch.constructed.append(kwargs)

    yield FuzzTouch
    keras.saving.get_custom_objects().pop("skdenoise_fuzz>FuzzTouch", None)


@pytest.fixture(scope="module")
def saved_file(fitted, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "dae.skd"
    fitted.save(path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def skops_file(fitted):
    sio = pytest.importorskip("skops.io")
    return sio.dumps(fitted)


def _assert_loads_or_one_value_error(load, name, tabular, touch):
    try:
        loaded = load()
    except Exception as error:
        assert type(error) is ValueError, f"{type(error).__name__}: {error}"
        assert name in str(error), str(error)
    else:
        # Whatever loads is a working estimator.
        assert loaded.transform(tabular[:2]).shape[0] == 2
    assert touch.constructed == []


@FILE_FUZZ
@given(data=st.data())
def test_malformed_estimator_json_is_one_value_error(
    saved_file, tabular_module, touch_sentinel, tmp_path, data
):
    document = json.loads(_member(saved_file, "estimator.json"))
    text = json.dumps(data.draw(_mutated(document)))
    path = tmp_path / "estimator.skd"
    path.write_bytes(_zip_replacing(saved_file, "estimator.json", text))
    _assert_loads_or_one_value_error(
        lambda: skdenoise.load(path), str(path), tabular_module, touch_sentinel
    )


@FILE_FUZZ
@given(data=st.data())
def test_malformed_model_config_is_one_value_error(
    saved_file, skops_file, tabular_module, touch_sentinel, tmp_path, data
):
    sio = pytest.importorskip("skops.io")
    model_bytes = _member(saved_file, "model.keras")
    config = json.loads(_member(model_bytes, "config.json"))
    bad_model = _zip_replacing(model_bytes, "config.json", json.dumps(data.draw(_mutated(config))))
    path = tmp_path / "config.skd"
    path.write_bytes(_zip_replacing(saved_file, "model.keras", bad_model))
    _assert_loads_or_one_value_error(
        lambda: skdenoise.load(path), str(path), tabular_module, touch_sentinel
    )
    # The same model inside a skops file, which holds it as bytes.
    (member,) = [
        name
        for name in zipfile.ZipFile(io.BytesIO(skops_file)).namelist()
        if name.endswith(".bin")
    ]
    bad_skops = _zip_replacing(skops_file, member, bad_model)
    _assert_loads_or_one_value_error(
        lambda: sio.loads(bad_skops, trusted=sio.get_untrusted_types(data=bad_skops)),
        "saved state of a DenoisingAutoencoder",
        tabular_module,
        touch_sentinel,
    )


def test_a_dense_activation_in_keras_dict_form_is_one_value_error(saved_file, tmp_path):
    model_bytes = _member(saved_file, "model.keras")
    text = _member(model_bytes, "config.json").decode()
    activation = {"module": "keras.activations", "class_name": "function", "config": "relu"}
    text = text.replace('"activation": "relu"', '"activation": ' + json.dumps(activation), 1)
    path = tmp_path / "dict.skd"
    bad_model = _zip_replacing(model_bytes, "config.json", text)
    path.write_bytes(_zip_replacing(saved_file, "model.keras", bad_model))
    with pytest.raises(ValueError, match="activation is .*not a name") as info:
        skdenoise.load(path)
    assert type(info.value) is ValueError and str(path) in str(info.value)


@pytest.mark.parametrize(
    "member, content",
    [
        ("estimator.json", "the file itself"),
        ("model.keras", "the file itself"),
        ("model.keras/config.json", "the file itself"),
        ("model.keras/config.json", "[" * 100_000 + "]" * 100_000),
        ("estimator.json", '{"format": ' * 100_000 + "1" + "}" * 100_000),
    ],
    ids=["zip-as-json", "zip-in-zip", "zip-as-config", "deep-config", "deep-json"],
)
def test_nested_archives_and_documents_are_one_value_error(saved_file, tmp_path, member, content):
    content = saved_file if content == "the file itself" else content
    if member.startswith("model.keras/"):
        content = _zip_replacing(_member(saved_file, "model.keras"), "config.json", content)
        member = "model.keras"
    path = tmp_path / "nested.skd"
    path.write_bytes(_zip_replacing(saved_file, member, content))
    with pytest.raises(ValueError) as info:
        skdenoise.load(path)
    assert type(info.value) is ValueError and str(path) in str(info.value)
