"""Tests for the command-line demo, on a small split and one epoch."""

import contextlib
import io
import math
import struct

import pytest

from skdenoise.demo import main

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("demo") / "figures" / "x.png"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        metrics = main(
            [
                "--epochs", "1",
                "--n-train", "300",
                "--n-test", "100",
                "--output", str(output),
                "--quiet",
            ]
        )  # fmt: skip
    return metrics, output, stdout.getvalue()


def test_demo_writes_a_png(demo_run):
    _, output, _ = demo_run
    content = output.read_bytes()
    assert content[:8] == _PNG_SIGNATURE
    # The IHDR chunk comes first and holds the size in pixels.
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    assert width >= 600 and height >= 600
    assert len(content) > 20_000


def test_demo_returns_sensible_metrics(demo_run):
    metrics, output, _ = demo_run
    assert metrics["output"] == output
    assert (metrics["n_train"], metrics["n_test"], metrics["epochs"]) == (300, 100, 1)
    assert metrics["noise_factor"] == 0.5
    for key in ["psnr_noisy", "psnr_denoised", "test_bce", "best_val_loss"]:
        assert math.isfinite(metrics[key]), key
    # Noise of standard deviation 0.5, clipped to [0, 1], gives about 9-10 dB.
    assert 5 < metrics["psnr_noisy"] < 15
    assert 0 < metrics["psnr_denoised"] < 40
    assert 0 < metrics["test_bce"] < 5
    assert 0 < metrics["best_val_loss"] < 5
    assert metrics["best_epoch"] == 1
    assert metrics["fit_time_s"] > 0 and metrics["samples_per_s"] > 0


def test_demo_prints_metrics_table(demo_run):
    _, output, printed = demo_run
    for label in [
        "300 training / 100 test digits",
        "PSNR noisy vs clean",
        "PSNR denoised vs clean",
        "Test BCE of denoised",
        "Best val_loss",
        "Training time",
        "samples/s",
        f"Wrote {output}",
    ]:
        assert label in printed
    # --quiet leaves out the per-epoch progress of Keras.
    assert "Epoch 1/1" not in printed


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--n-train", "4500", "--n-test", "1000"], "cannot split"),
        (["--n-test", "5"], "cannot split"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--noise-factor", "-1"], "--noise-factor must be at least 0"),
    ],
)
def test_demo_rejects_invalid_arguments(argv, message, capsys):
    with pytest.raises(SystemExit) as exc_info:
        main(argv)
    assert exc_info.value.code == 2
    assert message in capsys.readouterr().err
