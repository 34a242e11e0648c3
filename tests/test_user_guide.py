"""Snippets of the user guide that run as written, each with its test."""

import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from _results import markdown_tables, numbers, photos_summary, row
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import QuantileTransformer, StandardScaler

USER_GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user_guide"
RESULTS = USER_GUIDE.parents[1] / "benchmarks" / "results"
BLOCKS = [
    (page, textwrap.dedent(block))
    for page in sorted(USER_GUIDE.glob("*.rst"))
    for block in re.findall(r"\.\. code-block:: python\n\n((?:(?:   .*)?\n)+)", page.read_text())
]


def _block(marker, page=None):
    (block,) = [
        (path, block)
        for path, block in BLOCKS
        if marker in block and (page is None or path.name == page)
    ]
    return block


def _run(block, namespace):
    page, code = block
    exec(compile(code, str(page), "exec"), namespace)
    return namespace


def test_halving_over_epochs_snippets_run(capsys):
    namespace = _run(_block('resource="epochs"'), {"__name__": "user_guide"})
    search = namespace["search"]
    assert search.n_resources_ == [2, 6]
    assert search.n_candidates_ == [4, 2]
    assert search.best_params_["epochs"] == search.best_estimator_.n_iter_ == 6
    printed = capsys.readouterr().out
    assert printed.startswith("[2, 6]\n[4, 2]\n")
    assert str(search.best_params_) in printed

    # The pipeline snippet follows on, with the imports of the first.
    search = _run(_block('resource="dae__epochs"'), namespace)["search"]
    assert search.n_resources_ == [2, 4]
    assert search.n_candidates_ == [2, 1]
    assert search.best_estimator_["dae"].n_iter_ == 4
    assert capsys.readouterr().out == "4\n"


def test_cross_validation_chooses_autoencoder_features_snippet_runs(capsys):
    namespace = _run(_block("FrozenEstimator(rank_gauss)"), {"__name__": "user_guide"})
    search, autoencoders = namespace["search"], namespace["autoencoders"]
    weights = [dae.model_.get_weights() for dae in autoencoders]
    # Five choices of the autoencoder step, "drop" first, times three C.
    assert len(search.cv_results_["params"]) == 15
    assert search.cv_results_["params"][0]["union__dae"] == "drop"
    # The autoencoders learnt from every non-test row and the search did not refit them.
    for dae, before in zip(autoencoders, weights, strict=True):
        assert dae.n_features_in_ == 30 and dae.n_iter_ == 10
        for a, b in zip(dae.model_.get_weights(), before, strict=True):
            np.testing.assert_array_equal(a, b)
    chosen = search.best_params_["union__dae"]
    width = 30 if chosen == "drop" else 30 + len(chosen.get_feature_names_out())
    assert search.best_estimator_["logistic"].n_features_in_ == width
    dropped, auc = capsys.readouterr().out.split()
    assert dropped == str(chosen == "drop")
    assert 0.8 < float(auc) <= 1.0


def test_cosine_short_fit_snippet_runs(capsys):
    namespace = _run(_block('learning_rate_schedule="cosine"'), {"__name__": "user_guide"})
    short = namespace["short"]
    assert short.n_iter_ == 2 and short.learning_rate_schedule == "cosine"
    first, second = short.history_["val_loss"]
    assert second < first
    # The optimizer is back at the peak, where a warm-started fit starts.
    assert abs(float(short.model_.optimizer.learning_rate) - 4e-3) < 1e-9
    assert capsys.readouterr().out == f"{short.history_['val_loss']}\n"


def test_onnx_exportable_few_labels_recipe_runs(capsys):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    block = _block("deployed = make_pipeline(features, classifier)", page="deploying.rst")
    namespace = _run(block, {"__name__": "user_guide"})
    deployed, session = namespace["deployed"], namespace["session"]
    X_test = namespace["X_test"]
    assert deployed[0][1].transformer_list[1][1].features == "all_hidden"
    labels, probabilities = session.run(None, {"X": X_test})
    np.testing.assert_allclose(probabilities, deployed.predict_proba(X_test), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(labels, deployed.predict(X_test))
    assert capsys.readouterr().out == "True\n"


def test_the_rank_gauss_recipe_does_not_export_as_the_deploying_page_says():
    pytest.importorskip("skl2onnx")
    from skdenoise.onnx import to_onnx

    X = np.random.RandomState(0).uniform(size=(30, 3))
    rank_gauss = QuantileTransformer(output_distribution="normal", n_quantiles=10)
    pipe = make_pipeline(rank_gauss, StandardScaler()).fit(X)
    with pytest.raises(RuntimeError, match="output_distribution='normal' is not supported"):
        to_onnx(pipe, X[:1])


def test_noise_range_snippet_runs(capsys):
    namespace = _run(_block("noise_factor=(0.0, 0.2)", page="corruption.rst"), {})
    assert namespace["blind"].noise.noise_factor == (0.0, 0.2)
    levels = namespace["levels"]
    assert levels.min() < 0.01 and 0.19 < levels.max() < 0.21
    assert capsys.readouterr().out == "0.1\n"


def test_patch_size_snippet_runs(capsys):
    namespace = _run(_block("patch_size=32", page="training.rst"), {})
    dae, photos = namespace["dae"], namespace["photos"]
    assert [photo.shape for photo in photos] == [(427, 640, 3), (427, 640, 3)]
    assert dae.n_iter_ == 1 and dae.n_features_in_ == 32 * 32 * 3
    assert capsys.readouterr().out == "(32, 32, 3)\n"


def test_photos_snippet_runs(capsys):
    namespace = _run(_block('architecture="fully_conv"', page="photos.rst"), {})
    dae, noisy = namespace["dae"], namespace["noisy"]
    assert dae.architecture_ == "fully_conv" and dae.n_iter_ == 2
    assert dae.loss_ == "mean_squared_error"
    # A model of one noise level, the setup that wins in the page's table.
    assert dae.noise.noise_factor == pytest.approx(25 / 255)
    assert dae.predict(noisy[np.newaxis]).shape == (1, 37, 53, 3)
    printed = "(1, 37, 53, 3)\n(1, 128)\n[(37, 53, 3), (20, 30, 3)]\n"
    assert capsys.readouterr().out == printed


def test_ready_denoiser_snippet_runs(capsys):
    namespace = _run(_block("print(denoised.shape)", page="photos.rst"), {})
    clean, noisy, denoised = namespace["clean"], namespace["noisy"], namespace["denoised"]

    def error(image):
        return np.mean((np.clip(image, 0, 1) - clean) ** 2)

    assert namespace["denoiser"].model_.input_shape[-1] == 3
    assert error(denoised) < 0.25 * error(noisy)
    assert capsys.readouterr().out == "(300, 451, 3)\n"


def test_fine_tuning_snippet_runs(capsys):
    namespace = _run(_block("denoiser.fit(mine)", page="photos.rst"), {})
    denoiser = namespace["denoiser"]
    assert denoiser.learning_rate == 1e-4 and denoiser.warm_start
    assert capsys.readouterr().out == "32\n"


def _simple_tables(page):
    """The reStructuredText simple tables of a user guide page, as text."""
    text = (USER_GUIDE / page).read_text()
    return [match[0] for match in re.finditer(r"^(=[= ]+)\n.+?\n\1\n.+?\n\1$", text, re.M | re.S)]


def _simple_table_rows(table):
    """The data rows of a simple table, cut into cells."""
    border, _, _, *body, _ = table.splitlines()
    spans = [match.span() for match in re.finditer("=+", border)]
    spans[-1] = (spans[-1][0], None)
    return [[line[a:b].strip() for a, b in spans] for line in body]


def test_photos_tables_are_copied_from_their_results_rows():
    _, large, models = [_simple_table_rows(table) for table in _simple_tables("photos.rst")]
    # Large photos: each row is the results row of its size.
    results = markdown_tables("photos")
    assert len(large) == 3
    for megapixels, seconds, per_megapixel, memory in large:
        expected = row(results, megapixels, caption="Large photos")
        columns = ["predict s", "s per megapixel", "peak memory growth (MB)"]
        assert numbers(f"{seconds} {per_megapixel} {memory}") == [expected[c] for c in columns]
    # Models: each row is its model's margin and wins at its noise level,
    # against the best classical denoiser and against the best without BM3D.
    summary = photos_summary()
    assert len(models) == 7
    for model, sigma, *cells in models:
        (name,) = re.findall(r"``(\w+)``", model)
        name = "blind" if model.startswith("blind") else name
        if name == "fully_conv":
            assert numbers(model) == [sigma]
        level = row([summary], sigma)
        for (margin, won), against in zip([cells[:2], cells[2:]], ["", " without BM3D"]):
            assert numbers(margin) == [level[f"{name} margin{against}"]]
            assert numbers(won) == numbers(level[f"{name} won{against}"])


def test_ready_denoiser_table_is_copied_from_its_results():
    ready = _simple_table_rows(_simple_tables("photos.rst")[0])
    results = json.loads((RESULTS / "photo_denoisers.json").read_text())["models"]
    expected = []
    for kind, name in [("grey", "grey"), ("color", "colour")]:
        for sigma, level in results[kind]["summary"].items():
            n = sum(str(r["sigma"]) == sigma for r in results[kind]["rows"])
            expected.append(
                [name, sigma, f"{level['mean_psnr']['ready']:.2f} dB"]
                + [
                    f"{level['margin_free']:+.2f} dB".replace("-", "−"),
                    f"{level['wins_free']} of {n}",
                ]
                + [
                    f"{level['margin_bm3d']:+.2f} dB".replace("-", "−"),
                    f"{level['wins_bm3d']} of {n}",
                ]
            )
    assert ready == expected


def test_sample_weight_snippet_runs():
    namespace = _run(_block("denoisingautoencoder__sample_weight"), {"__name__": "user_guide"})
    search = namespace["search"]
    assert search.best_params_["latent_dim"] in (2, 4)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    pipe = namespace["pipe"]
    assert pipe[-1].n_iter_ == 5


def test_noisy_only_snippets_run(capsys):
    page = "noisy_only.rst"
    namespace = {"__name__": "user_guide"}
    for marker in ["noise=BlindSpotNoiser(random_state=0)", "GridSearchCV(", "second_capture"]:
        _run(_block(marker, page), namespace)
    clean, noisy = namespace["clean"], namespace["noisy"]

    def error(image):
        return np.mean((image - clean) ** 2)

    # Blind-spot training and Noise2Noise both denoise, with no clean target.
    assert namespace["denoised"].shape == clean.shape
    assert error(namespace["denoised"]) < 0.6 * error(noisy)
    assert error(namespace["pairs"].predict(noisy)) < 0.6 * error(noisy)
    search = namespace["search"]
    assert search.best_params_["latent_dim"] in (1, 3, 8)
    assert capsys.readouterr().out == f"{search.best_params_}\n"
