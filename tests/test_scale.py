"""Out-of-core training, batched inference, Dask and tf.distribute."""

import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skdenoise import DenoisingAutoencoder

# Settings of the small_dae fixture (tests/conftest.py) in this module.
SMALL_DAE_DEFAULTS = dict(latent_dim=3, hidden_layer_sizes=(16,), epochs=1, random_state=0)


def test_partial_fit_streams_chunks(small_dae, tabular):
    dae = small_dae()
    for chunk in np.array_split(tabular, 3):
        dae.partial_fit(chunk)
    assert dae.n_iter_ == 3 and len(dae.history_["loss"]) == 3
    assert "val_loss" not in dae.history_
    assert dae.transform(tabular).shape == (300, 3)
    with pytest.raises(ValueError, match="X has 5 features"):
        dae.partial_fit(tabular[:, :5])
    assert dae.n_iter_ == 3


def test_partial_fit_learns_over_many_chunks(small_dae, tabular):
    dae = small_dae(learning_rate=3e-3)
    before = None
    for _ in range(15):
        for chunk in np.array_split(tabular, 3):
            dae.partial_fit(chunk)
        if before is None:
            before = dae.score(tabular)
    assert dae.score(tabular) > before


def test_partial_fit_keeps_optimizer_state(small_dae, tabular):
    dae = small_dae().partial_fit(tabular[:100])
    iterations = int(dae.model_.optimizer.iterations.numpy())
    dae.partial_fit(tabular[100:200])
    assert int(dae.model_.optimizer.iterations.numpy()) == 2 * iterations


def test_partial_fit_with_explicit_pairs(small_dae, tabular):
    noisy = np.clip(tabular + 0.1, 0, 1)
    dae = small_dae().partial_fit(noisy, tabular)
    assert dae.n_iter_ == 1


def test_dask_ml_incremental_drives_partial_fit(small_dae, tabular):
    da = pytest.importorskip("dask.array")
    Incremental = pytest.importorskip("dask_ml.wrappers").Incremental
    X = da.from_array(tabular, chunks=(100, tabular.shape[1]))
    incremental = Incremental(small_dae(), shuffle_blocks=False).fit(X)
    assert incremental.estimator_.n_iter_ == 3
    codes = incremental.transform(X).compute()
    np.testing.assert_allclose(codes, incremental.estimator_.transform(tabular), atol=1e-6)


def test_inference_on_a_read_only_memmap_runs_in_bounded_batches(tmp_path, digits):
    dae = DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=0).fit(digits[:100])
    n_samples = 8000
    path = tmp_path / "big.npy"
    big = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n_samples, 784))
    big[:] = np.resize(digits, (n_samples, 784))
    big.flush()
    del big
    X = np.load(path, mmap_mode="r")
    assert not X.flags.writeable

    tracemalloc.start()
    codes = dae.transform(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # No copy of the 25 MB input: the codes and a batch or two at most.
    assert peak < X.nbytes / 4
    np.testing.assert_allclose(codes[:600], dae.transform(digits), atol=1e-5)
    np.testing.assert_allclose(
        codes[-600:], dae.transform(np.resize(digits, (8000, 784))[-600:]), atol=1e-5
    )
    assert dae.predict(X[:50]).shape == (50, 784)

    # score corrupts and reconstructs one batch at a time too: its memory
    # does not grow with the input.
    peaks = []
    for rows in (2048, n_samples):
        tracemalloc.start()
        assert np.isfinite(dae.score(X[:rows]))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.2 * peaks[0]


def test_partial_fit_streams_chunks_of_a_memmap_on_disk(small_dae, tmp_path, tabular):
    path = tmp_path / "train.npy"
    np.save(path, tabular)
    X = np.load(path, mmap_mode="r")
    assert isinstance(X, np.memmap) and not X.flags.writeable
    streamed, in_memory = small_dae(), small_dae()
    for start in range(0, len(X), 100):
        streamed.partial_fit(X[start : start + 100])
        in_memory.partial_fit(tabular[start : start + 100])
    assert streamed.n_iter_ == 3
    for a, b in zip(streamed.model_.get_weights(), in_memory.model_.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_predict_and_inverse_transform_on_a_memmap_hold_only_their_output(tmp_path, digits):
    dae = DenoisingAutoencoder(latent_dim=8, epochs=1, random_state=0).fit(digits[:100])
    path = tmp_path / "big.npy"
    np.save(path, np.resize(digits, (8000, 784)))
    X = np.load(path, mmap_mode="r")
    codes = dae.transform(X[:2000])

    tracemalloc.start()
    denoised = dae.predict(X)
    _, predict_peak = tracemalloc.get_traced_memory()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    decoded = dae.inverse_transform(codes)
    _, inverse_peak = tracemalloc.get_traced_memory()
    inverse_peak -= held
    tracemalloc.stop()
    # The output plus a batch in and a batch out (1,024 rows each), not a
    # copy of the input or of the output.
    batch_bytes = dae.inference_batch_size * 784 * 4
    assert predict_peak < denoised.nbytes + 3 * batch_bytes < 2 * X.nbytes
    assert inverse_peak < decoded.nbytes + 3 * batch_bytes
    np.testing.assert_allclose(denoised[:600], dae.predict(digits), atol=1e-5)


def test_gridsearch_on_a_dask_cluster(small_dae, tabular):
    distributed = pytest.importorskip("distributed")
    import joblib

    pipe = make_pipeline(MinMaxScaler(), small_dae())
    grid = {"denoisingautoencoder__latent_dim": [1, 3]}
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with joblib.parallel_backend("dask"):
            search = GridSearchCV(pipe, grid, cv=2).fit(tabular)
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert search.best_params_["denoisingautoencoder__latent_dim"] in (1, 3)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_mirrored_strategy_trains_on_two_logical_cpus():
    # Logical devices must be set before TensorFlow starts: a fresh process.
    code = textwrap.dedent(
        """
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2
        )
        import pickle
        import numpy as np
        from skdenoise import DenoisingAutoencoder

        X = np.random.RandomState(0).uniform(size=(256, 12)).astype("float32")
        dae = DenoisingAutoencoder(
            latent_dim=3, hidden_layer_sizes=(16,), epochs=2,
            distribution_strategy="mirrored", random_state=0,
        ).fit(X)
        print("replicas", dae.model_.distribute_strategy.num_replicas_in_sync)
        assert dae.transform(X).shape == (256, 3)
        assert np.isfinite(dae.score(X))
        restored = pickle.loads(pickle.dumps(dae))
        np.testing.assert_allclose(restored.transform(X), dae.transform(X), atol=1e-6)

        # Through keras.Model.fit, the cosine schedule sets every step's rate.
        import keras
        rates = []

        class Rates(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                rates.append(float(self.model.optimizer.learning_rate.numpy()))

        dae.set_params(learning_rate_schedule="cosine", callbacks=[Rates()]).fit(X)
        assert len(rates) == 2 * 8 and abs(rates[0] - 1e-3) < 1e-9 and rates[-1] < 1e-4
        assert np.all(np.diff(rates) < 0)
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replicas 2" in result.stdout and "ok" in result.stdout


def test_warm_started_single_epochs_repeat_one_multi_epoch_fit(small_dae, tabular):
    # benchmarks/results/time_to_quality.md timed skdenoise one warm-started
    # epoch at a time; that is only fair if it trains exactly like one long fit.
    whole = small_dae(epochs=3).fit(tabular)
    stepwise = small_dae(epochs=1, warm_start=True)
    for _ in range(3):
        stepwise.fit(tabular)
    assert stepwise.n_iter_ == 3
    assert stepwise.history_ == whole.history_
    for a, b in zip(stepwise.model_.get_weights(), whole.model_.get_weights()):
        np.testing.assert_array_equal(a, b)
