"""Failures lose nothing; results are reproducible and thread-safe."""

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest
from sklearn.utils.validation import check_is_fitted

from skdenoise import DenoisingAutoencoder, TrainingDivergedError

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=3, hidden_layer_sizes=(16,), epochs=2, random_state=0)


def exploding_data():
    # Finite in float32, but squared errors overflow at once.
    return np.random.RandomState(0).uniform(-1, 1, size=(64, 4)).astype(np.float32) * 3e19


class InterruptAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def test_diverging_run_raises_and_stays_unfitted(small_dae, capfd):
    dae = small_dae(loss="mse", learning_rate=10.0, noise=None)
    with pytest.raises(TrainingDivergedError, match="diverged"):
        dae.fit(exploding_data())
    assert capfd.readouterr().out == "", "verbose=0 prints nothing, even then"
    assert not hasattr(dae, "model_")
    with pytest.raises(Exception, match="not fitted"):
        check_is_fitted(dae)


def test_failed_refit_keeps_the_previous_model(small_dae, tabular):
    dae = small_dae(loss="mse").fit(tabular)
    codes, n_iter = dae.transform(tabular), dae.n_iter_
    dae.set_params(learning_rate=10.0, noise=None)
    with pytest.raises(TrainingDivergedError):
        dae.fit(exploding_data())  # another width, too: 4 features, not 12
    assert dae.n_features_in_ == 12 and dae.n_iter_ == n_iter
    np.testing.assert_array_equal(dae.transform(tabular), codes)


def test_failed_warm_start_restores_weights_and_optimizer(small_dae, tabular):
    dae = small_dae(warm_start=True).fit(tabular)
    codes = dae.transform(tabular)
    iterations = int(dae.model_.optimizer.iterations.numpy())
    dae.set_params(callbacks=[InterruptAtEpoch(1)])
    with pytest.raises(KeyboardInterrupt):
        dae.fit(tabular)
    np.testing.assert_array_equal(dae.transform(tabular), codes)
    assert int(dae.model_.optimizer.iterations.numpy()) == iterations
    assert dae.n_iter_ == 2 and len(dae.history_["loss"]) == 2


def test_keyboard_interrupt_leaves_an_unfitted_estimator_unfitted(small_dae, tabular):
    dae = small_dae(callbacks=[InterruptAtEpoch(0)])
    with pytest.raises(KeyboardInterrupt):
        dae.fit(tabular)
    assert not hasattr(dae, "model_") and not hasattr(dae, "n_features_in_")
    # And it can be fitted afterwards, as if nothing happened.
    dae.set_params(callbacks=None).fit(tabular)
    np.testing.assert_array_equal(
        dae.transform(tabular), small_dae().fit(tabular).transform(tabular)
    )


def test_codes_are_bitwise_identical_across_processes(digits):
    dae = DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=7).fit(digits[:200])
    codes = dae.transform(digits[:20])
    code = textwrap.dedent(
        """
        import sys
        import numpy as np
        from skdenoise import DenoisingAutoencoder
        from skdenoise.datasets import load_mnist_sample
        X = load_mnist_sample().data
        X = X[np.random.RandomState(0).permutation(len(X))][:200]
        dae = DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=7).fit(X)
        sys.stdout.write(dae.transform(X[:20]).tobytes().hex())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert bytes.fromhex(result.stdout.strip()) == codes.tobytes()


def test_concurrent_predict_from_threads_is_correct(digits):
    dae = DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=0).fit(digits[:200])
    chunks = [digits[i : i + 37] for i in range(0, 370, 37)]
    # A fresh estimator state: the threads race to build the compiled function.
    dae._inference_functions = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(dae.predict, chunks * 3))
        codes = list(pool.map(dae.transform, chunks * 3))
    for chunk, result, code in zip(chunks * 3, results, codes):
        np.testing.assert_allclose(result, dae.predict(chunk), atol=1e-6)
        np.testing.assert_allclose(code, dae.transform(chunk), atol=1e-6)
