"""Training across two real worker processes with MultiWorkerMirroredStrategy.

Two Python processes on localhost, each with its own ``TF_CONFIG``, run the
same script, as two machines would; see the Scaling section of the README.
Each one fits several estimators in turn, which also checks that a process
reuses its one strategy.
"""

import functools
import json
import os
import socket
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import skdenoise
from skdenoise import DenoisingAutoencoder

WORKER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from skdenoise import DenoisingAutoencoder

    index, out = int(sys.argv[1]), sys.argv[2]
    X = np.random.RandomState(0).uniform(size=(256, 20)).astype("float32")
    X_noisy = np.clip(X + np.random.RandomState(1).normal(0, 0.2, X.shape), 0, 1)
    params = dict(latent_dim=4, epochs=2, random_state=0,
                  distribution_strategy="multi_worker_mirrored")
    fits = {
        "noise": (DenoisingAutoencoder(validation_fraction=None, **params), (X,)),
        "pairs": (DenoisingAutoencoder(validation_fraction=None, **params), (X_noisy, X)),
        "validation": (DenoisingAutoencoder(validation_fraction=0.25, **params), (X,)),
    }
    report = {}
    try:
        DenoisingAutoencoder(**{**params, "random_state": None}).fit(X)
    except ValueError as error:
        report["unseeded_error"] = str(error)
    for name, (dae, data) in fits.items():
        dae.fit(*data)
        np.savez(f"{out}/{name}_{index}.npz", *dae.model_.get_weights())
        report[name] = {"history": dae.history_,
                        "replicas": dae.model_.distribute_strategy.num_replicas_in_sync}
        if index == 0:
            dae.save(f"{out}/{name}.skd")
    with open(f"{out}/report_{index}.json", "w") as file:
        json.dump(report, file)
    """
)

# A program that makes its own strategy first, as TensorFlow asks, and fits
# inside its scope.
OWN_STRATEGY_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import tensorflow as tf
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    from skdenoise import DenoisingAutoencoder

    index, out = int(sys.argv[1]), sys.argv[2]
    X = np.random.RandomState(0).uniform(size=(64, 6)).astype("float32")
    with strategy.scope():
        dae = DenoisingAutoencoder(
            latent_dim=2, epochs=1, random_state=0,
            distribution_strategy="multi_worker_mirrored",
        ).fit(X)
    assert dae.model_.distribute_strategy is strategy
    np.savez(f"{out}/own_{index}.npz", *dae.model_.get_weights())
    """
)

FITS = {
    "noise": dict(validation_fraction=None),
    "pairs": dict(validation_fraction=None),
    "validation": dict(validation_fraction=0.25),
}


def training_data():
    X = np.random.RandomState(0).uniform(size=(256, 20)).astype("float32")
    X_noisy = np.clip(X + np.random.RandomState(1).normal(0, 0.2, X.shape), 0, 1)
    return X, X_noisy


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("localhost", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def run_two_workers(script_text, out):
    """Run a script in two worker processes of one cluster on localhost."""
    script = out / "worker.py"
    script.write_text(script_text)
    cluster = {"worker": [f"localhost:{port}" for port in free_ports(2)]}
    workers = []
    for index in range(2):
        env = {
            **os.environ,
            "TF_CONFIG": json.dumps(
                {"cluster": cluster, "task": {"type": "worker", "index": index}}
            ),
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        workers.append(
            subprocess.Popen(
                [sys.executable, str(script), str(index), str(out)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = []
    try:
        for worker in workers:
            outputs.append(worker.communicate(timeout=240)[0])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    for worker, output in zip(workers, outputs):
        assert worker.returncode == 0, output[-4000:]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Run WORKER_SCRIPT in two processes; return the output folder."""
    out = tmp_path_factory.mktemp("multi_worker")
    run_two_workers(WORKER_SCRIPT, out)
    return out


def worker_weights(out, name, index):
    with np.load(out / f"{name}_{index}.npz") as arrays:
        return [arrays[f"arr_{i}"] for i in range(len(arrays.files))]


def worker_report(out, index):
    return json.loads((out / f"report_{index}.json").read_text())


@functools.cache
def single_process_fit(name):
    X, X_noisy = training_data()
    dae = DenoisingAutoencoder(latent_dim=4, epochs=2, random_state=0, **FITS[name])
    return dae.fit(X_noisy, X) if name == "pairs" else dae.fit(X)


@pytest.mark.parametrize("name", list(FITS))
def test_two_workers_end_with_the_same_weights(two_workers, name):
    first, second = (worker_weights(two_workers, name, index) for index in range(2))
    assert len(first) == len(second) > 0
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    reports = [worker_report(two_workers, index)[name] for index in range(2)]
    assert reports[0] == reports[1]
    assert reports[0]["replicas"] == 2


@pytest.mark.parametrize("name", list(FITS))
def test_two_workers_train_like_one_process_with_the_global_batch(two_workers, name):
    # Each worker takes half of every batch of 32 and the gradients are
    # averaged: the same steps as one process on whole batches.
    single = single_process_fit(name)
    for a, b in zip(worker_weights(two_workers, name, 0), single.model_.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)
    history = worker_report(two_workers, 0)[name]["history"]
    assert history.keys() == single.history_.keys()
    for key in history:
        np.testing.assert_allclose(history[key], single.history_[key], rtol=1e-5)
    assert ("val_loss" in history) == (name == "validation")


@pytest.mark.parametrize("name", list(FITS))
def test_model_trained_on_two_workers_loads_and_predicts_in_one_process(two_workers, name):
    X, X_noisy = training_data()
    loaded = skdenoise.load(two_workers / f"{name}.skd")
    single = single_process_fit(name)
    np.testing.assert_allclose(loaded.predict(X_noisy), single.predict(X_noisy), atol=1e-5)
    assert loaded.transform(X).shape == (256, 4)
    assert loaded.n_iter_ == 2


def test_unseeded_fit_across_workers_is_refused(two_workers):
    message = worker_report(two_workers, 0)["unseeded_error"]
    assert "needs an int random_state" in message


def test_fit_inside_the_scope_of_the_programs_own_strategy_uses_it(tmp_path):
    run_two_workers(OWN_STRATEGY_SCRIPT, tmp_path)
    first, second = (worker_weights(tmp_path, "own", index) for index in range(2))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
