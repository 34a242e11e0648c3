"""Sparse input, as ColumnTransformer with OneHotEncoder emits, densified a batch at a time."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdenoise import DenoisingAutoencoder, GaussianNoiser, MaskingNoiser, SaltPepperNoiser

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=4, hidden_layer_sizes=(16,), epochs=2, random_state=0)


@pytest.fixture(scope="module")
def sparse_rows():
    """300 rows of 40 columns, 10% non-zero, in [0, 1]."""
    return sp.random(300, 40, density=0.1, format="csr", random_state=0, dtype=np.float32)


class RecordingNoiser(GaussianNoiser):
    """Gaussian noise that records how many rows each call corrupts."""

    rows_seen = []

    def _corrupt(self, X, rng):
        RecordingNoiser.rows_seen.append(X.shape[0])
        return super()._corrupt(X, rng)


def test_column_transformer_pipeline_with_one_hot_features():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=400),
            "weight": rng.normal(size=400),
            "colour": rng.choice(["red", "green", "blue", "grey"], size=400),
            "shape": rng.choice(["round", "square"], size=400),
        }
    )
    y = (frame["size"] + (frame["colour"] == "red") > 0.5).astype(int)
    columns = ColumnTransformer(
        [
            ("numbers", StandardScaler(), ["size", "weight"]),
            ("categories", OneHotEncoder(), ["colour", "shape"]),
        ],
        sparse_threshold=1.0,
    )
    assert sp.issparse(columns.fit_transform(frame))
    model = make_pipeline(
        columns, DenoisingAutoencoder(latent_dim=4, epochs=5, random_state=0), LogisticRegression()
    )
    model.fit(frame, y)
    assert model.score(frame, y) > 0.7
    codes = model[:2].transform(frame)
    assert codes.shape == (400, 4)
    np.testing.assert_array_equal(codes, model[1].transform(columns.transform(frame).toarray()))


@pytest.mark.parametrize("container", [sp.csr_matrix, sp.csc_array, sp.coo_matrix])
def test_inference_on_sparse_matches_dense(small_dae, sparse_rows, container):
    dae = small_dae().fit(sparse_rows.toarray())
    X, dense = container(sparse_rows), sparse_rows.toarray()
    np.testing.assert_array_equal(dae.transform(X), dae.transform(dense))
    np.testing.assert_array_equal(dae.predict(X), dae.predict(dense))
    np.testing.assert_array_equal(dae.score_samples(X), dae.score_samples(dense))
    assert dae.score(X) == dae.score(dense)
    assert dae.score(X, X) == dae.score(dense, dense)


def test_fit_and_partial_fit_on_sparse(small_dae, sparse_rows):
    dae = small_dae().fit(sparse_rows)
    assert dae.loss_ == "binary_crossentropy"
    assert len(dae.history_["val_loss"]) == 2
    dae.partial_fit(sparse_rows[:100])
    assert dae.n_iter_ == 3
    assert np.all(np.isfinite(dae.transform(sparse_rows)))
    # Explicit pairs, both sparse.
    noisy = sparse_rows.copy()
    noisy.data = np.clip(noisy.data + 0.1, 0, 1)
    paired = small_dae(epochs=1).fit(noisy, sparse_rows)
    assert paired.predict(noisy).shape == (300, 40)


def test_sparse_data_is_densified_one_batch_at_a_time(small_dae, sparse_rows):
    RecordingNoiser.rows_seen.clear()
    dae = small_dae(noise=RecordingNoiser(0.2), batch_size=16, inference_batch_size=50)
    dae.fit(sparse_rows)
    dae.score(sparse_rows)
    assert RecordingNoiser.rows_seen and max(RecordingNoiser.rows_seen) <= 50


def test_sparse_images_train_the_convolutional_network(small_dae):
    X = sp.random(64, 64, density=0.2, format="csr", random_state=0, dtype=np.float32)
    dae = small_dae(latent_dim=4, epochs=1).fit(X)
    assert dae.architecture_ == "conv" and dae.image_shape_ == (8, 8, 1)
    assert dae.predict(X).shape == (64, 64)


@pytest.mark.parametrize("noiser", [GaussianNoiser, MaskingNoiser, SaltPepperNoiser])
def test_noisers_corrupt_sparse_input_like_its_dense_array(noiser, sparse_rows):
    noisy = noiser(random_state=0).transform(sparse_rows)
    assert isinstance(noisy, np.ndarray)
    np.testing.assert_array_equal(noisy, noiser(random_state=0).transform(sparse_rows.toarray()))
