"""Generated bad inputs: each gets a clear ValueError or TypeError, fast.

Every example here is invalid, so no training runs: a hang or a TensorFlow
error would show as a deadline overrun or an unexpected exception type.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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


@FUZZ
@given(X=arrays_with_a_bad_value())
def test_fit_rejects_non_finite_and_huge_values(X):
    dae = DenoisingAutoencoder(latent_dim=2, epochs=1, validation_fraction=None)
    with pytest.raises(Exception) as info:
        dae.fit(X)
    _assert_clear_error(info.value, "nan", "infinity", "too large")
    assert not hasattr(dae, "model_")


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
