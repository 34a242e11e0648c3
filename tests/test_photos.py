"""Photos as a new user gives them: lists of sizes, single photos, integers, alpha.

The networks are tiny and barely trained: these tests check what each call
accepts, returns or refuses, not how well it denoises.
"""

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder

PARAMS = dict(latent_dim=4, epochs=1, batch_size=4, validation_fraction=None, random_state=0)


def _photo(*shape, seed=0):
    return np.random.RandomState(seed).uniform(size=shape).astype(np.float32)


@pytest.fixture(scope="module")
def grey_patches():
    """A fully convolutional model fitted on patches of grey photos."""
    photos = [_photo(30, 40, seed=1), _photo(24, 20, seed=2)]
    return DenoisingAutoencoder(architecture="fully_conv", patch_size=8, **PARAMS).fit(photos)


def test_onnx_transform_of_a_large_photo_matches_within_the_documented_tolerance():
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    model = DenoisingAutoencoder(architecture="fully_conv", **PARAMS).fit(_photo(5, 8, 8))
    # Codes of order one, as a trained model gives; the graph averages
    # 1.4 million of them per channel.
    latent = model.encoder_.get_layer("latent")
    kernel, bias = latent.get_weights()
    latent.set_weights([kernel, bias + 3])
    photo = _photo(1, 1100, 1300, seed=3)
    graph = to_onnx(model, photo[:, :8, :8])
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    (codes,) = session.run(None, {"X": photo})
    expected = model.transform(photo)
    assert np.abs(expected).max() > 0.5
    np.testing.assert_allclose(codes, expected, rtol=0, atol=1e-5)
