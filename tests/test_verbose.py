"""verbose=0 prints nothing; verbose=1 a progress bar per epoch."""

from skdenoise import DenoisingAutoencoder


def _fit_and_use(verbose, X):
    dae = DenoisingAutoencoder(
        latent_dim=2, hidden_layer_sizes=(8,), epochs=2, verbose=verbose, random_state=0
    )
    dae.fit(X)
    dae.transform(X)
    dae.predict(X)
    dae.score(X)
    dae.inverse_transform(dae.transform(X))


def test_verbose_0_is_silent(capfd, tabular):
    for _ in range(4):  # several models: no warning about retracing either
        _fit_and_use(0, tabular)
    captured = capfd.readouterr()
    assert captured.out == ""
    assert "retracing" not in captured.err and "Epoch" not in captured.err


def test_verbose_1_shows_a_progress_bar_per_epoch(capfd, tabular):
    _fit_and_use(1, tabular)
    out = capfd.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "━" in out and "loss" in out and "val_loss" in out
    # Inference stays quiet: every bar is a training bar, with its loss.
    updates = [u for u in out.replace("\r", "\n").split("\n") if "step" in u]
    assert updates and all("loss" in u for u in updates)


def test_verbose_2_prints_one_line_per_epoch(capfd, tabular):
    _fit_and_use(2, tabular)
    out = capfd.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "━" not in out
