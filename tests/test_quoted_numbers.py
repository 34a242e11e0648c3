"""Measured numbers quoted in running text are those of the results they come from.

The tables of the README and the docs have their own tests; this module
checks the numbers written in paragraphs. Each page has one list of
quotes: a regular expression that finds the sentence (on the page's text
with line breaks made spaces) and captures the quoted numbers, and for
each capture where its number comes from: a results table's row and
column, a line of a results file, a field of a JSON record, or a value
derived from those (a difference, a ratio, a range), rounded as quoted.

Not checked, because they are not measurements:

- parameters of a run or of the package: epochs, batch sizes, noise
  levels, seeds, numbers of folds, rounds, calls, repeats or fits, sizes
  of the data and of the networks' layers, learning rates, defaults;
- goals a run was measured against ("a median at most 2 ms");
- counts of a design: tables, seeds, candidates, photos, the 50 (table,
  seed) cases that every count of better / equal / worse adds up to;
- dates, commit hashes, versions, command lines and estimated run times of
  the scripts ("≈ 7 min");
- figures quoted from elsewhere for context (DnCNN's published PSNR), the
  Keras tutorial's 0.0953 that the scripts take as their target, and
  tolerances of the tests;
- estimates worked out by hand ("about 1.5 GB for each layer"), and bounds
  and comparisons in words ("within 10% of each other", "less than half the
  time"), which name no number of a results file.

Also unchecked, for want of a record: findings of one-off investigations
that no results file keeps (in ``benchmarks/README.md`` the 17th call and
its 70 to 290 ms of tracing; the smallest standard deviation 7e-4 and the
scaled values up to 1,345 there and in ``deploying.rst``).
"""

import re
from pathlib import Path
from statistics import median
from typing import NamedTuple

import pytest
from _results import (
    line,
    markdown_tables,
    numbers,
    photos_fit_seconds,
    photos_summary,
    plain,
    read,
    record,
    row,
)

ROOT = Path(__file__).resolve().parents[1]


# Where a quoted number comes from: each of these gives a function that
# returns the number as a string.


def cell(name, *keys, column, caption="", nth=0):
    """The `nth` number of a cell of ``<name>.md``: its row's `keys`, its `column`."""

    def value():
        found = row(markdown_tables(name), *keys, caption=caption, columns=[column])
        return numbers(found[plain(column)])[nth]

    return value


def column(name, header, *, key=None, caption="", nth=0):
    """The `nth` numbers of column `header` in the rows of ``<name>.md`` that have a cell `key`.

    Every row of the tables with that column when `key` is None.
    """

    def values():
        found = [
            dict(zip(table.header, cells, strict=True))
            for table in markdown_tables(name)
            if plain(caption) in plain(table.caption) and header in table.header
            for cells in table.rows
            if key is None or plain(key) in map(plain, cells)
        ]
        assert found, f"no rows {key!r} with {header!r} in {name}.md"
        return [numbers(cells[header])[nth] for cells in found]

    return values


def text(name, pattern, group=1):
    """A number of a line of ``<name>.md`` that is not in a table."""
    return lambda: line(name, pattern)[group - 1]


def texts(name, pattern):
    """The numbers that `pattern` captures in every line of ``<name>.md`` it matches."""
    return lambda: re.findall(pattern, read(name), flags=re.M)


def field(name, get, fmt=""):
    """A value that `get` reads from the record ``<name>.json``, formatted."""
    return lambda: format(get(record(name)), fmt)


def derived(function, *sources, fmt):
    """`function` of the numbers of `sources`, formatted as quoted.

    A source that gives a list (`column`, `texts`) gives all its numbers.
    """

    def value():
        values = [source() for source in sources]
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        return format(function(*map(float, flat)), fmt)

    return value


def same(*sources):
    """One number that all `sources` give."""

    def value():
        values = {numbers(source())[0] for source in sources}
        assert len(values) == 1, values
        return values.pop()

    return value


def summary(sigma, column, nth=0):
    """A number of the per-σ summary of ``photos.md``."""
    return lambda: numbers(row([photos_summary()], sigma)[column])[nth]


_SIGMAS = ("15", "25", "50")
_FULLY_CONV_MARGINS = tuple(summary(sigma, "fully_conv margin") for sigma in _SIGMAS)
_FULLY_CONV_MARGINS_WITHOUT_BM3D = tuple(
    summary(sigma, "fully_conv margin without BM3D") for sigma in _SIGMAS
)
_PREDICT_PER_MEGAPIXEL = texts("photos", r"predict (\S+) s/megapixel")
# photos.md's median seconds per megapixel of each classical denoiser.
_SCIKIT_IMAGE = ("tv", "wavelet", "nl_means", "noise2self")
_SCIKIT_IMAGE_SECONDS = tuple(
    text("photos", rf"seconds per megapixel \(median\):.* {name} (\S+?),")
    for name in _SCIKIT_IMAGE
)
_BM3D_SECONDS = text("photos", r"seconds per megapixel \(median\):.* bm3d (\S+)$")


def short_e(value):
    """`value` as quoted in scientific notation: 2.4e-7."""
    return f"{value:.1e}".replace("e-0", "e-")


def best_epoch(losses):
    """The epoch, counted from 1, of the lowest loss."""
    return 1 + min(range(len(losses)), key=losses.__getitem__)


class Quote(NamedTuple):
    where: str
    sources: tuple


def quote(where, *sources):
    return Quote(where, sources)


# benchmarks/results/noisy_only_photos.json: per noise, the rows of the
# nine photos, each denoiser's [PSNR, SSIM].
_PHOTO_NOISES = ("σ 25", "σ 50", "poisson 30")
_NOISY_ONLY_PHOTOS = ("tv_n2s", "wavelet_n2s", "nl_means_n2s", "nl_means", "bm3d")


def _photo_psnr(results, noise, key):
    rows = results[noise]["rows"]
    psnrs = [row["noisy_psnr"] if key == "noisy" else row[key][0] for row in rows]
    return sum(psnrs) / len(psnrs)


def _photo_mean(noise, key):
    """The mean PSNR of denoiser `key` over the nine photos at `noise`."""
    return field("noisy_only_photos", lambda r: _photo_psnr(r, noise, key), ".2f")


def _photo_trail(noise, key, behind):
    """How far the mean PSNR of `key` is below that of `behind`."""

    def gap(results):
        return _photo_psnr(results, noise, behind) - _photo_psnr(results, noise, key)

    return field("noisy_only_photos", gap, ".2f")


def _photo_gap(statistic):
    """`statistic` over the noises of how far the per-photo models trail the one for all nine."""

    def gaps(results):
        return statistic(
            _photo_psnr(results, noise, "all_nine") - _photo_psnr(results, noise, "per_photo")
            for noise in _PHOTO_NOISES
        )

    return field("noisy_only_photos", gaps, ".2f")


def _photo_wins(noise, key):
    """On how many photos `key` beats every noisy-only contender."""

    def wins(results):
        rows = results[noise]["rows"]
        return sum(row[key][0] > max(row[c][0] for c in _NOISY_ONLY_PHOTOS) for row in rows)

    return field("noisy_only_photos", wins)


def _photo_fits(statistic, get):
    """`statistic` over the noises of the fit seconds that `get` reads."""

    def seconds(results):
        return statistic(get(results[noise]["fit_seconds"]) for noise in _PHOTO_NOISES)

    return field("noisy_only_photos", seconds, ".0f")


# The all-nine blind-spot model against BM3D with the estimated σ: its gap
# at each noise, on how many photos it beats every noisy-only contender, and
# its gap to the supervised fully_conv at σ = 25 and 50.
_ALL_NINE_VS_BM3D = tuple(_photo_trail(noise, "all_nine", "bm3d") for noise in _PHOTO_NOISES)
_ALL_NINE_RECORD = (
    *_ALL_NINE_VS_BM3D,
    *(_photo_wins(noise, "all_nine") for noise in _PHOTO_NOISES),
    *(_photo_trail(noise, "all_nine", "supervised") for noise in _PHOTO_NOISES[:2]),
)

# README.md


def _ready(kind, get):
    """A value of ``photo_denoisers.json`` for the ready model `kind`."""
    return lambda results: get(results["models"][kind])


def _ready_margins(kind):
    return [_ready(kind, lambda m, s=s: m["summary"][s]["margin_bm3d"]) for s in _SIGMAS]


def _ready_beaten_by(kind, sigma, name):
    def count(results):
        rows = results["models"][kind]["rows"]
        return sum(r[name][0] > r["ready"][0] for r in rows if str(r["sigma"]) == sigma)

    return count


def _trails(margins):
    """The least and the most a model trails by, from its negative `margins`."""
    return (
        derived(lambda *m: -max(m), *margins, fmt=".2f"),
        derived(lambda *m: -min(m), *margins, fmt=".2f"),
    )


_READY_MARGINS = [
    field("photo_denoisers", get) for get in _ready_margins("grey") + _ready_margins("color")
]

README = [
    quote(
        r"BM3D beats them everywhere, by (\S+) to (\S+) dB on average, taking (\S+) s per "
        r"megapixel to their (\S+) s \(grey;",
        *_trails(_READY_MARGINS),
        _BM3D_SECONDS,
        field("photo_denoisers", _ready("grey", lambda m: m["seconds_per_megapixel"]), ".2f"),
    ),
    quote(
        r"it trails BM3D, which also sees only the noisy photo, by (\S+) to (\S+) dB",
        derived(min, *_ALL_NINE_VS_BM3D, fmt=".2f"),
        derived(max, *_ALL_NINE_VS_BM3D, fmt=".2f"),
    ),
    quote(
        r"reaches its best validation loss at epoch (\d+) .* falling to epoch (\d+) \(`quality",
        field("quality", lambda r: best_epoch(r["history"]["plain_keras"]["val_loss"])),
        field("quality", lambda r: best_epoch(r["history"]["skdenoise"]["val_loss"])),
    ),
]


# docs/benchmarks.rst


def _union(column, nth):
    caption = "CV-chosen union"
    cases = "**(table, seed) cases better/equal/worse**"
    return cell("semi_supervised", cases, column=column, caption=caption, nth=nth)


def _bm3d_best(results):
    """(photo, σ) cases where BM3D has the best PSNR of the classical denoisers, and all."""
    classical = (*_SCIKIT_IMAGE, "bm3d")
    best = [max(classical, key=lambda name: row[name][0]) for row in results["rows"]]
    return best.count("bm3d"), len(best)


BENCHMARKS_PAGE = [
    quote(
        r"BM3D beats the ready models on every photo, by (\S+) to (\S+) dB on average; against "
        r"scikit-image's denoisers the grey model wins on (\d+), (\d+) and (\d+) of 9 photos at "
        r"σ = 15, 25 and 50, the colour one on (\d+) of 4 at each σ\. Their ``predict`` takes "
        r"(\S+) s \(grey\) and (\S+) s \(colour\) per megapixel\.",
        *_trails(_READY_MARGINS),
        *[
            field("photo_denoisers", _ready("grey", lambda m, s=s: m["summary"][s]["wins_free"]))
            for s in _SIGMAS
        ],
        same(
            *[
                field(
                    "photo_denoisers", _ready("color", lambda m, s=s: m["summary"][s]["wins_free"])
                )
                for s in _SIGMAS
            ]
        ),
        *[
            field("photo_denoisers", _ready(k, lambda m: m["seconds_per_megapixel"]), ".2f")
            for k in ("grey", "color")
        ],
    ),
    quote(
        r"BM3D gives the best classical PSNR in (\d+) of the (\d+) \(photo, σ\) cases, and is "
        r"the slowest: (\S+) s per megapixel \(median\) against (\S+) to (\S+) s for "
        r"scikit-image's denoisers and (\S+) to (\S+) s for the models' ``predict``",
        field("photos", lambda r: _bm3d_best(r)[0]),
        field("photos", lambda r: _bm3d_best(r)[1]),
        _BM3D_SECONDS,
        derived(min, *_SCIKIT_IMAGE_SECONDS, fmt=".2f"),
        derived(max, *_SCIKIT_IMAGE_SECONDS, fmt=".2f"),
        derived(min, _PREDICT_PER_MEGAPIXEL, fmt=".2f"),
        derived(max, _PREDICT_PER_MEGAPIXEL, fmt=".2f"),
    ),
    quote(
        r"best cross-validation score \((\S+)\) and test score \((\S+)\)",
        same(
            cell("grid_search", "GridSearchCV", column="Best CV score"),
            cell("grid_search", "HalvingGridSearchCV(resource='epochs')", column="Best CV score"),
        ),
        same(
            cell("grid_search", "GridSearchCV", column="Test score"),
            cell("grid_search", "HalvingGridSearchCV(resource='epochs')", column="Test score"),
        ),
    ),
    quote(
        r"Straight line: (\S+) ms per sample \+ (\S+) s; R² = (\S+)\.",
        *(
            text("speed", r"^Line: (\S+) ms per sample \+ (\S+) s; R² = (\S+)$", g)
            for g in (1, 2, 3)
        ),
    ),
    quote(
        r"memmap of 200,000 x 784 values \((\d+) MB\)",
        text("memory", r"memmap \((\d+) MB\)"),
    ),
    quote(
        r"\(breast-cancer table, ([\d,]+) parameters\) and the reference convolutional "
        r"one \(MNIST digits, ([\d,]+)\)",
        field("latency", lambda r: _parameters(r, "dense")),
        field("latency", lambda r: _parameters(r, "conv")),
    ),
    quote(
        r"\(load average (\S+) to (\S+)\):",
        field("latency", lambda r: r["machine"]["load_average_1_5_15"][0], ".2f"),
        field("latency", lambda r: r["machine"]["load_average_1_5_15_at_end"][0], ".1f"),
    ),
    quote(
        r"beats the raw features in (\d+) of 50 cases at L = 50 and 100, keeps them alone "
        r"in (\d+) to (\d+) and loses in (\d+) to (\d+); with all labels it wins (\d+) "
        r"and loses (\d+)\.",
        same(_union("L=50", 0), _union("L=100", 0)),
        derived(min, _union("L=50", 1), _union("L=100", 1), fmt=".0f"),
        derived(max, _union("L=50", 1), _union("L=100", 1), fmt=".0f"),
        derived(min, _union("L=50", 2), _union("L=100", 2), fmt=".0f"),
        derived(max, _union("L=50", 2), _union("L=100", 2), fmt=".0f"),
        _union("L=all", 0),
        _union("L=all", 2),
    ),
    quote(
        r"trails it by (\S+), (\S+) and (\S+) dB, beats every contender on (\d+), (\d+) and "
        r"(\d+) of the 9 photos, and trails the supervised ``fully_conv`` by (\S+) and (\S+) dB",
        *_ALL_NINE_RECORD,
    ),
    quote(
        r"behind at σ = 25 \((\S+) against (\S+) dB for the calibrated non-local means\), "
        r"level at σ = 50 \((\S+) against (\S+) dB for the calibrated TV\) and ahead on "
        r"the Poisson case \((\S+) against (\S+) dB\)",
        _photo_mean("σ 25", "all_nine"),
        _photo_mean("σ 25", "nl_means_n2s"),
        _photo_mean("σ 50", "all_nine"),
        _photo_mean("σ 50", "tv_n2s"),
        _photo_mean("poisson 30", "all_nine"),
        _photo_mean("poisson 30", "tv_n2s"),
    ),
    quote(
        r"Fits on 2 cores: (\d+) to (\d+) s for all nine photos, a median of (\d+) to (\d+) "
        r"s for one\.",
        _photo_fits(min, lambda fits: fits["all_nine"]),
        _photo_fits(max, lambda fits: fits["all_nine"]),
        _photo_fits(min, lambda fits: median(fits["per_photo"])),
        _photo_fits(max, lambda fits: median(fits["per_photo"])),
    ),
    quote(
        r"beats the supervised ``fully_conv`` too, by (\S+) and (\S+) dB at σ = 25 and 50",
        *(_photo_trail(noise, "supervised", "bm3d_true_sigma") for noise in _PHOTO_NOISES[:2]),
    ),
]


def _parameters(record, architecture):
    """The parameters of the latency record's network of `architecture`, as written."""
    (count,) = {
        case["parameters"]
        for case in record["milliseconds"]
        if case["architecture"] == architecture
    }
    return f"{count:,}"


# benchmarks/README.md


def _latency(get, kind, fmt, **where):
    """min or max (`kind`) of `get` over the latency cases matching `where`."""

    def cases(r):
        return [
            get(case) for case in r["milliseconds"] if all(case[k] == v for k, v in where.items())
        ]

    return field("latency", lambda r: kind(cases(r)), fmt)


def _first_call_seconds(kind, fmt, architecture):
    """The least or greatest first call of the current version, in seconds."""

    def seconds(case):
        return case["first_call"] / 1000

    return _latency(seconds, kind, fmt, architecture=architecture, skdenoise="current")


def _onnx(case, contender, statistic, fmt, calls="1 sample"):
    """A time of ``latency_onnx.json``, unrounded, formatted as quoted."""
    return field(
        "latency_onnx", lambda r: r["milliseconds"][calls][case][contender][statistic], fmt
    )


_FULLY_CONV_FITS = lambda: [  # noqa: E731
    seconds
    for model, seconds in photos_fit_seconds().items()
    if model.startswith(("fully_conv", "blind"))
]
_PATIENCE_3 = dict(name="early_stopping", key="early stopping, patience 3")
_TIME_TO_QUALITY = "Epoch first at val BCE ≤ 0.0953"
# The least and greatest share of a fit's time that patience 3 saved, in %.
_PATIENCE_3_SAVINGS = (
    derived(
        lambda *ratios: 100 * (1 - max(ratios)),
        column(header="time / default (median)", **_PATIENCE_3),
        fmt=".0f",
    ),
    derived(
        lambda *ratios: 100 * (1 - min(ratios)),
        column(header="time / default (median)", **_PATIENCE_3),
        fmt=".0f",
    ),
)


def _noisy_only_count(condition):
    """How many of the tables' cases meet `condition`, and how many there are."""

    def cases():
        return record("noisy_only")["cases"].values()

    return (
        lambda: str(sum(condition(case) for case in cases())),
        lambda: str(len(cases())),
    )


def _blind(get):
    """A value of ``blind_vs_per_sigma.json``, formatted as quoted."""
    return field("blind_vs_per_sigma", get, ".2f")


def _per_sigma_gap(sigma):
    """PSNR by which the model of `sigma` alone beats the blind one at `sigma`."""

    def gap(results):
        means = results["per_sigma"][sigma]
        return means["mean_per_sigma"] - means["mean_blind"]

    return _blind(gap)


def _weighted_gain(sigma):
    """PSNR by which the loss-weighted blind model beats the shipped one at `sigma`."""

    def gain(results):
        means = results["weighted"]["means"][sigma]
        return means["weighted"] - means["blind"]

    return _blind(gain)


_PER_SIGMA_GAPS = [_per_sigma_gap(sigma) for sigma in ("50", "15")]
_WEIGHTED_GAIN = {sigma: _weighted_gain(sigma) for sigma in _SIGMAS}


def _step_ms(step):
    """Milliseconds of one training step of 32 patches of 40 x 40 (fully_conv_throughput.md)."""
    return cell("fully_conv_throughput", step, "32 x 40²", column="ms / step")


BENCHMARKS_README = [
    quote(
        r"trails a model of one noise level by (\S+) dB at σ = 50 and by (\S+) dB at σ = 15; "
        r"weighting each patch's loss by 1 / σ² \(σ at least 5/255\) gains (\S+) dB at σ = 15 "
        r"and loses (\S+) dB at σ = 50\.",
        *_PER_SIGMA_GAPS,
        _WEIGHTED_GAIN["15"],
        derived(abs, _WEIGHTED_GAIN["50"], fmt=".2f"),
    ),
    quote(
        r"the `fully_conv` training step runs at about (\d+)% of the float32 matmul peak on 2 "
        r"cores; XLA made it (\S+) times slower, bfloat16 (\S+) times faster",
        derived(
            min,
            column("fully_conv_throughput", "of matmul peak", key="float32, tf.function"),
            fmt=".0f",
        ),
        derived(
            lambda xla, fp32: xla / fp32,
            _step_ms("float32, XLA (jit_compile)"),
            _step_ms("float32, tf.function"),
            fmt=".1f",
        ),
        derived(
            lambda fp32, bf16: fp32 / bf16,
            _step_ms("float32, tf.function"),
            _step_ms("mixed_bfloat16, tf.function"),
            fmt=".2f",
        ),
    ),
    quote(
        r"model for all nine trails it by (\S+), (\S+) and (\S+) dB, beats every contender on "
        r"(\d+), (\d+) and (\d+) of 9 photos, and trails the supervised `fully_conv` of "
        r"`photos.py` by (\S+) and (\S+) dB",
        *_ALL_NINE_RECORD,
    ),
    quote(
        r"the autoencoder is below the better PCA on (\d+) of (\d+) cases and above the "
        r"noisy table itself on (\d+) of (\d+)",
        *_noisy_only_count(
            lambda c: (
                c["blind_spot"]["error"] < min(c["pca_mle"]["error"], c["pca_masked"]["error"])
            )
        ),
        *_noisy_only_count(lambda c: c["blind_spot"]["error"] > c["noisy_error"]),
    ),
    quote(
        r"Spearman at least 0\.8 on (\d+) of (\d+) cases \(goal met on (\d+)\)",
        *_noisy_only_count(lambda c: c["grid"]["spearman"] >= 0.8 - 1e-9),
        _noisy_only_count(lambda c: c["grid"]["spearman"] >= 0.8 - 1e-9)[0],
    ),
    quote(
        r"Keras denoising tutorial \(([\d,]+) parameters, 128-value code\)",
        field("latency", lambda r: _parameters(r, "conv")),
    ),
    quote(
        r"\((\d+) to (\d+) s per `fully_conv` fit on 2 cores\)",
        derived(min, _FULLY_CONV_FITS, fmt=".0f"),
        derived(max, _FULLY_CONV_FITS, fmt=".0f"),
    ),
    quote(
        r"trained at the test's σ beat it on (\d+), (\d+) and (\d+) of 9 photos at σ = 15, "
        r"25 and 50 \(`grass`\) and lost by (\S+), (\S+) and (\S+) dB on average\.",
        *(summary(sigma, "fully_conv won") for sigma in _SIGMAS),
        *(derived(abs, summary(sigma, "fully_conv margin"), fmt=".2f") for sigma in _SIGMAS),
    ),
    quote(
        r"it beat the best on (\d+), (\d+) and (\d+) of 9 photos, by (\S+), (\S+) and (\S+) "
        r"dB \(goals",
        *(summary(sigma, "fully_conv won without BM3D") for sigma in _SIGMAS),
        *(summary(sigma, "fully_conv margin without BM3D") for sigma in _SIGMAS),
    ),
    quote(
        r"BM3D took (\S+) s per megapixel \(median\), scikit-image's denoisers (\S+) to "
        r"(\S+) s\.",
        _BM3D_SECONDS,
        derived(min, *_SCIKIT_IMAGE_SECONDS, fmt=".2f"),
        derived(max, *_SCIKIT_IMAGE_SECONDS, fmt=".2f"),
    ),
    quote(
        r"blind model lost at every level \((\S+), (\S+), (\S+) dB; without BM3D "
        r"(\S+), (\S+), (\S+) dB\)",
        *(summary(sigma, "blind margin") for sigma in _SIGMAS),
        *(summary(sigma, "blind margin without BM3D") for sigma in _SIGMAS),
    ),
    quote(
        r"the tiled reference network lost by (\S+) dB \((\S+) without BM3D\)",
        derived(abs, summary("25", "conv margin"), fmt=".2f"),
        derived(abs, summary("25", "conv margin without BM3D"), fmt=".2f"),
    ),
    quote(
        r"Predict: (\S+) to (\S+) s per megapixel",
        derived(min, _PREDICT_PER_MEGAPIXEL, fmt=".2f"),
        derived(max, _PREDICT_PER_MEGAPIXEL, fmt=".2f"),
    ),
    quote(
        r"a (\d+)-megapixel photo, in tiles, in a fresh process: (\S+) s and (\d+) MB "
        r"of peak memory growth \((\d+) MB at (\d+) megapixel\)",
        cell("photos", "12", column="megapixels", caption="Large photos"),
        cell("photos", "12", column="predict s", caption="Large photos"),
        cell("photos", "12", column="peak memory growth (MB)", caption="Large photos"),
        cell("photos", "1", column="peak memory growth (MB)", caption="Large photos"),
        cell("photos", "1", column="megapixels", caption="Large photos"),
    ),
    quote(
        r"lowest at epoch (\d+) and then rises .* skdenoise's falls to epoch (\d+)\.",
        field("quality", lambda r: best_epoch(r["history"]["plain_keras"]["val_loss"])),
        field("quality", lambda r: best_epoch(r["history"]["skdenoise"]["val_loss"])),
    ),
    quote(
        r"below PCA\(128\) on Gaussian noise \((\S+) dB against (\S+) dB at 0\.5\)",
        cell("corruptions", "plain autoencoder (noise=None)", column="Gaussian 0.5"),
        cell("corruptions", "PCA(128)", column="Gaussian 0.5"),
    ),
    quote(
        r"One-sample `predict` took (\S+) ms against (\S+) ms for Keras's `Model\.predict`",
        cell("speed", "1 sample", "skdenoise predict", column="ms"),
        cell("speed", "1 sample", "Keras Model.predict", column="ms"),
    ),
    quote(
        r"fit time grows by (\S+) ms per sample",
        text("speed", r"^Line: (\S+) ms per sample"),
    ),
    quote(
        r"\((\d+) s and (\d+) s on MNIST\)",
        cell("grid_search_before", "GridSearchCV", column="Wall (s)"),
        cell("grid_search_before", "HalvingGridSearchCV(resource='epochs')", column="Wall (s)"),
    ),
    quote(
        r"\(load average (\S+) at the start, (\S+) at the end\)",
        field("latency", lambda r: r["machine"]["load_average_1_5_15"][0], ".2f"),
        field("latency", lambda r: r["machine"]["load_average_1_5_15_at_end"][0], ".1f"),
    ),
    quote(
        r"The worst CPU time of a call is now (\S+) to (\S+) ms; the worst wall times "
        r"above 10 ms \((\d+) of the 6 conv processes\) .* load average of (\S+) at the end",
        _latency(lambda case: case["worst_cpu"], min, ".1f", skdenoise="current"),
        _latency(lambda case: case["worst_cpu"], max, ".1f", skdenoise="current"),
        _latency(
            lambda case: case["worst"] > 10, sum, "d", skdenoise="current", architecture="conv"
        ),
        field("latency", lambda r: r["machine"]["load_average_1_5_15_at_end"][0], ".1f"),
    ),
    quote(
        r"its median is (\S+) to (\S+) ms, and the version before took (\S+) to (\S+) ms",
        *(
            _latency(
                lambda case: case["median"],
                kind,
                ".1f",
                method="predict",
                architecture="conv",
                skdenoise=version,
            )
            for version in ("current", "baseline")
            for kind in (min, max)
        ),
    ),
    quote(
        r"\((\S+) to (\S+) s dense, (\S+) to (\S+) s conv\)",
        _first_call_seconds(min, ".2f", "dense"),
        _first_call_seconds(max, ".2f", "dense"),
        _first_call_seconds(min, ".1f", "conv"),
        _first_call_seconds(max, ".1f", "conv"),
    ),
    quote(
        r"\(load average (\d+) at start and end\)",
        same(
            field("latency_onnx", lambda r: r["machine"]["load_average_1_5_15"][0], ".0f"),
            field("latency_onnx", lambda r: r["machine"]["load_average_1_5_15_at_end"][0], ".0f"),
        ),
    ),
    quote(
        r"is met at best \((\S+) ms\) but not at the median under this load \((\S+) ms\)",
        _onnx("pipeline predict_proba", "ONNX Runtime", "min", ".2f"),
        _onnx("pipeline predict_proba", "ONNX Runtime", "median", ".2f"),
    ),
    quote(
        r"from skdenoise's are (\S+) \(`predict`\) and (\S+) \(`transform`\); for the "
        r"pipeline they are (\S+) on probabilities",
        *(
            field("latency_onnx", lambda r, case=case: short_e(r["differences"][case]))
            for case in ("denoise (predict)", "codes (transform)", "pipeline predict_proba")
        ),
    ),
    quote(
        r"input validation (\S+) / (\S+) ms \(min / median\); the network through its "
        r"`tf\.function`, (\S+) / (\S+) ms, and through its concrete function, (\S+) / "
        r"(\S+) ms,",
        *(
            _onnx("inside skdenoise predict", contender, statistic, ".2f")
            for contender in (
                "input validation",
                "network via tf.function (before)",
                "network via concrete function (now)",
            )
            for statistic in ("min", "median")
        ),
    ),
    quote(
        r"\(code k = (\d+) to (\d+)\)",
        field("semi_supervised", lambda r: min(t["latent_dim"] for t in r["tables"].values())),
        field("semi_supervised", lambda r: max(t["latent_dim"] for t in r["tables"].values())),
    ),
    quote(
        r"beats the raw features in (\d+) of 50 cases at L = 100 and loses in (\d+);",
        _union("L=100", 0),
        _union("L=100", 2),
    ),
    quote(
        r"No constant rate reached the tutorial's 0\.0953 in two epochs \(best (\S+)\); "
        r"cosine fits of two epochs did \((\S+) from 4e-3\)",
        derived(min, column("learning_rate", "Epoch 2"), fmt=".4f"),
        cell("learning_rate_schedules", "cosine 0.004 to 0 over 2 epochs", column="Epoch 2"),
    ),
    quote(
        r"Patience 3 saved (\d+) to (\d+)% of a fit's time and was worse in all (\d+) "
        r"table-seed pairs",
        *_PATIENCE_3_SAVINGS,
        derived(
            lambda *worse: sum(worse),
            column(header="minus default", nth=3, **_PATIENCE_3),
            fmt=".0f",
        ),
    ),
    quote(
        r"BCE (\S+) against (\S+) on 8x8 digits after 5 epochs, test PSNR (\S+) against "
        r"(\S+) dB on the MNIST sample after 3",
        *(
            cell("batch_norm", task, column=statistics)
            for task in (
                "8x8 digits, 5 epochs, BCE (lower is better)",
                "MNIST sample, 3 epochs, test PSNR dB (higher is better)",
            )
            for statistics in ("moving averages", "precise")
        ),
    ),
    quote(
        r"took (\S+)% of a training epoch on them",
        text("input_pipeline", r"^Making the batches: (\S+)% of a training epoch"),
    ),
    quote(
        r"reference network \((\S+) MFLOP\) against the float32 matmul peak: training "
        r"reached (\S+)% of it, as plain Keras did \((\S+)%\)",
        cell("efficiency", "Training step (≈3× forward)", column="Forward MFLOP"),
        cell("efficiency", "skdenoise", column="Share of tf.linalg.matmul peak"),
        cell("efficiency", "plain Keras", column="Share of tf.linalg.matmul peak"),
    ),
    quote(
        r"median (\S+) s against (\S+) s; a stall",
        cell("whole_fits", "Whole fit", "skdenoise", column="Median (s)"),
        cell("whole_fits", "Whole fit", "plain Keras", column="Median (s)"),
    ),
    quote(
        r"Both first reached the tutorial's 0\.0953 at epoch (\d+) \((\d+) s against (\d+) "
        r"s under load\); skdenoise ended lower \(best (\S+) against (\S+); test PSNR "
        r"(\S+) against (\S+) dB\)",
        same(
            cell("time_to_quality", _TIME_TO_QUALITY, column="plain Keras (noise once)"),
            cell("time_to_quality", _TIME_TO_QUALITY, column="skdenoise (fresh noise)"),
        ),
        cell(
            "time_to_quality", "Wall time to val BCE ≤ 0.0953", column="plain Keras (noise once)"
        ),
        cell("time_to_quality", "Wall time to val BCE ≤ 0.0953", column="skdenoise (fresh noise)"),
        cell("time_to_quality", "Best val BCE (epoch)", column="skdenoise (fresh noise)"),
        cell("time_to_quality", "Best val BCE (epoch)", column="plain Keras (noise once)"),
        cell("time_to_quality", "Test PSNR, denoised (end, dB)", column="skdenoise (fresh noise)"),
        cell(
            "time_to_quality", "Test PSNR, denoised (end, dB)", column="plain Keras (noise once)"
        ),
    ),
    quote(
        r"skdenoise reached 0\.0953 at epoch (\d+) \((\d+) s\), plain Keras not in 5 "
        r"epochs \(best (\S+)\)",
        cell("time_to_quality_whole_fits", _TIME_TO_QUALITY, column="skdenoise (fresh noise)"),
        cell(
            "time_to_quality_whole_fits",
            "Wall time to val BCE ≤ 0.0953",
            column="skdenoise (fresh noise)",
        ),
        cell(
            "time_to_quality_whole_fits", "Best val BCE (epoch)", column="plain Keras (noise once)"
        ),
    ),
    quote(
        r"A 2-epoch skdenoise fit under the cosine schedule from 4e-3 reached (\S+) in "
        r"(\d+) s, plain Keras (\S+) in (\d+) s\.",
        cell(
            "time_to_quality_cosine",
            "Best val BCE (epoch)",
            column="skdenoise, cosine from 0.004 over 2 epochs",
        ),
        cell(
            "time_to_quality_cosine",
            "Wall time to val BCE ≤ 0.0953",
            column="skdenoise, cosine from 0.004 over 2 epochs",
        ),
        cell(
            "time_to_quality_cosine",
            "4",
            column="plain Keras (noise once): val BCE / cumulative min",
        ),
        cell(
            "time_to_quality_cosine",
            "Wall time to val BCE ≤ 0.0953",
            column="plain Keras (noise once)",
        ),
    ),
    quote(
        r"`import sklearn\.base` (\S+), `import skdenoise` (\S+), `import skdenoise, "
        r"keras` (\S+)\.",
        *(
            cell("import_time", statement, column="seconds", nth=1)
            for statement in ("import sklearn.base", "import skdenoise", "import skdenoise, keras")
        ),
    ),
    quote(
        r"\(dense median (\S+) s after against (\S+) s before, conv (\S+) s against "
        r"(\S+) s,",
        *(
            cell("refactor_check", version, column=column, nth=1)
            for column in (
                "dense fit, s (min / median / max of 30)",
                "conv fit, s (min / median / max)",
            )
            for version in ("after (727db96)", "before (62dc598)")
        ),
    ),
]


# docs/user_guide/*.rst


def _codes_vs_pca(classifier, column, table=None, nth=0):
    """A cell of the default codes − PCA at the same k, by `classifier`."""
    caption = f"PCA at the same k, {classifier}"
    key = table or "**(table, seed) cases better/equal/worse**"
    return cell("semi_supervised", key, column=column, caption=caption, nth=nth)


def _union_table(table, column, nth=0):
    return cell("semi_supervised", table, column=column, caption="CV-chosen union", nth=nth)


def _union_picks(*features):
    """How many (table, seed) cases at L = 100 the union search picked `features` in."""
    return field(
        "semi_supervised",
        lambda r: sum(
            pick in features
            for key, summary in r["summary"].items()
            if key.endswith("/100/logistic")
            for pick in summary["picks"]["cv_union"]
        ),
    )


def _cv_autoencoder_vs_pca(L):
    caption = "contender − CV-chosen PCA"
    return cell(
        "semi_supervised", "**(table, seed) cases better/equal/worse**", column=L, caption=caption
    )


_L = ["L=50", "L=100", "L=250", "L=1000", "L=all"]
_PYTHON = {
    "denoise (predict)": "skdenoise predict",
    "codes (transform)": "skdenoise transform",
    "pipeline predict_proba": "skdenoise pipeline",
}


def _onnx_speed_ups(calls):
    """skdenoise's median over ONNX Runtime's, for each case of `calls`."""

    def speed_ups():
        times = record("latency_onnx")["milliseconds"][calls]
        return [
            times[case][python]["median"] / times[case]["ONNX Runtime"]["median"]
            for case, python in _PYTHON.items()
        ]

    return speed_ups


_WARM = "Whole one-epoch fits"

TRAINING = [
    quote(
        r"\(3 epochs, saving (\d+) to (\d+)% of a fit\)",
        *_PATIENCE_3_SAVINGS,
    ),
    quote(
        r"of the dense network on breast cancer takes about (\S+) s, against (\S+) s",
        derived(
            float,
            cell("overhead", "dense", "skdenoise", column="median", caption=_WARM),
            fmt=".2f",
        ),
        derived(
            float,
            cell("overhead", "dense", "bare Keras", column="median", caption=_WARM),
            fmt=".1f",
        ),
    ),
    quote(
        r"2-epoch fit reached a validation BCE of (\S+), below",
        cell("learning_rate_schedules", "cosine 0.004 to 0 over 2 epochs", column="Epoch 2"),
    ),
    quote(
        r"the default constant rate reached only at epoch (\d+) \((\S+);",
        cell("time_to_quality", _TIME_TO_QUALITY, column="skdenoise (fresh noise)"),
        cell("time_to_quality", "4", column="skdenoise (fresh noise): val BCE / cumulative min"),
    ),
    quote(
        r"it reached the target in (\d+) s against Keras's (\d+) s \(epoch (\d+)\): less "
        r"than half the time, though by a thin margin \((\S+)\)",
        cell(
            "time_to_quality_cosine",
            "Wall time to val BCE ≤ 0.0953",
            column="skdenoise, cosine from 0.004 over 2 epochs",
        ),
        cell(
            "time_to_quality_cosine",
            "Wall time to val BCE ≤ 0.0953",
            column="plain Keras (noise once)",
        ),
        cell("time_to_quality_cosine", _TIME_TO_QUALITY, column="plain Keras (noise once)"),
        cell(
            "time_to_quality_cosine",
            "Best val BCE (epoch)",
            column="skdenoise, cosine from 0.004 over 2 epochs",
        ),
    ),
    quote(
        r"the default 35 epochs reach about (\S+) \(",
        field("full_mnist", lambda r: r["results"]["best_val_bce"], ".4f"),
    ),
]

DEPLOYING = [
    quote(
        r"the pipeline's probabilities then differ by up to (\S+)\.",
        field("latency_onnx", lambda r: short_e(r["differences"]["pipeline predict_proba"])),
    ),
    quote(
        r"on two CPU cores shared with other work \(load average (\d+),",
        same(
            field("latency_onnx", lambda r: r["machine"]["load_average_1_5_15"][0], ".0f"),
            field("latency_onnx", lambda r: r["machine"]["load_average_1_5_15_at_end"][0], ".0f"),
        ),
    ),
    quote(
        r"request in (\S+) ms at best and (\S+) ms median in ONNX Runtime, against (\S+) "
        r"and (\S+) ms in Python; the network's codes alone take (\S+) / (\S+) ms against "
        r"(\S+) / (\S+) ms\.",
        *(
            _onnx(case, contender, statistic, fmt)
            for case, contender, fmt in (
                ("pipeline predict_proba", "ONNX Runtime", ".2f"),
                ("pipeline predict_proba", "skdenoise pipeline", ".1f"),
                ("codes (transform)", "ONNX Runtime", ".2f"),
                ("codes (transform)", "skdenoise transform", ".1f"),
            )
            for statistic in ("min", "median")
        ),
    ),
    quote(
        r"On batches of 1,000 digits ONNX Runtime is (\S+) to (\S+) times faster \(medians\)",
        derived(min, _onnx_speed_ups("1,000 samples"), fmt=".1f"),
        derived(max, _onnx_speed_ups("1,000 samples"), fmt=".1f"),
    ),
    quote(
        r"the graph \((\S+) ms at best for this network\), plus (\S+) ms of input validation",
        _onnx("inside skdenoise predict", "network via concrete function (now)", "min", ".1f"),
        _onnx("inside skdenoise predict", "input validation", "min", ".1f"),
    ),
    quote(
        r"the worst CPU time of 1,000 one-sample calls is (\S+) ms for the default dense "
        r"network, (\S+) ms for the convolutional one",
        _latency(
            lambda case: case["worst_cpu"], max, ".1f", skdenoise="current", architecture="dense"
        ),
        _latency(
            lambda case: case["worst_cpu"], max, ".1f", skdenoise="current", architecture="conv"
        ),
    ),
]

PCA = [
    quote(
        r"codes of k = (\d+) to (\d+) values,",
        field("semi_supervised", lambda r: min(t["latent_dim"] for t in r["tables"].values())),
        field("semi_supervised", lambda r: max(t["latent_dim"] for t in r["tables"].values())),
    ),
    quote(
        r"are better in (\d+) of 50 cases at L = 100 with a logistic regression and in (\d+) "
        r"with gradient boosting, and in (\d+) of 50 with every label, with either\.",
        _codes_vs_pca("logistic", "L=100"),
        _codes_vs_pca("gradient", "L=100"),
        same(_codes_vs_pca("logistic", "L=all"), _codes_vs_pca("gradient", "L=all")),
    ),
    quote(
        r"\(caravan: (\S+) ± (\S+) AUC at L = 100\) and lose",
        _codes_vs_pca("logistic", "L=100", "caravan"),
        _codes_vs_pca("logistic", "L=100", "caravan", nth=1),
    ),
    quote(
        r"lose in every seed on OJ at every L \((\S+) to (\S+) AUC\)",
        derived(min, *(_codes_vs_pca("logistic", L, "oj") for L in _L), fmt=".3f"),
        derived(max, *(_codes_vs_pca("logistic", L, "oj") for L in _L), fmt=".3f"),
    ),
    quote(
        r"beat the raw features in (\d+) of 50 cases at L = 50 and at L = 100, kept the raw "
        r"features alone in (\d+) and (\d+), and lost in (\d+) and (\d+) \(mean (\S+) and "
        r"(\S+)\); with every label it beat them in (\d+) and lost in (\d+) \(mean (\S+)\)",
        same(_union("L=50", 0), _union("L=100", 0)),
        _union("L=50", 1),
        _union("L=100", 1),
        _union("L=50", 2),
        _union("L=100", 2),
        _union("L=50", 3),
        _union("L=100", 3),
        _union("L=all", 0),
        _union("L=all", 2),
        _union("L=all", 3),
    ),
    quote(
        r"on caravan at L = 50 and 100 \((\S+) ± (\S+) AUC at L = 100\)",
        _union_table("caravan", "L=100"),
        _union_table("caravan", "L=100", nth=1),
    ),
    quote(
        r"\(MNIST: (\S+) ± (\S+) accuracy at L = 250\)",
        _union_table("mnist", "L=250"),
        _union_table("mnist", "L=250", nth=1),
    ),
    quote(
        r"on churn from L = 250 \((\S+) AUC from L = 1,000\)",
        same(
            derived(float, _union_table("churn", "L=1000"), fmt="+.2f"),
            derived(float, _union_table("churn", "L=all"), fmt="+.2f"),
        ),
    ),
    quote(
        r"attrition, credit and wa_churn \(down to (\S+) ± (\S+) AUC\)",
        _union_table("wa_churn", "L=100"),
        _union_table("wa_churn", "L=100", nth=1),
    ),
    quote(
        r"beat the PCA chosen the same way in (\d+) to (\d+) of 50 cases, depending on L",
        derived(min, *(_cv_autoencoder_vs_pca(L) for L in _L), fmt=".0f"),
        derived(max, *(_cv_autoencoder_vs_pca(L) for L in _L), fmt=".0f"),
    ),
    quote(
        r"pipeline on churn \((\S+) against (\S+) AUC\)",
        field("semi_supervised", lambda r: r["summary"]["churn/all/hgb"]["mean"]["raw"], ".3f"),
        field(
            "semi_supervised",
            lambda r: r["summary"]["churn/all/logistic"]["mean"]["cv_union"],
            ".3f",
        ),
    ),
    quote(
        r"the choice beat the raw features in about (\d+) cases of 10 at 50 or 100 labels, "
        r"made them worse in about (\d+), and beat them in (\d+) of 10 with every label",
        same(*(derived(lambda n: n / 5, _union(L, 0), fmt=".0f") for L in ("L=50", "L=100"))),
        same(*(derived(lambda n: n / 5, _union(L, 2), fmt=".0f") for L in ("L=50", "L=100"))),
        derived(lambda n: n / 5, _union("L=all", 0), fmt=".0f"),
    ),
    quote(
        r"every hidden layer of the 3×512 network in (\d+) of 50 cases, of the one-layer "
        r"network in (\d+), a code in (\d+), and kept the raw features alone in (\d+)\.",
        _union_picks("raw+hidden_wide"),
        _union_picks("raw+hidden_swap"),
        _union_picks("raw+codes_wide", "raw+codes_swap"),
        _union_picks("raw"),
    ),
]


def _fine_tuned(learning_rate, photo):
    """PSNR won on `photo` by fine-tuning on china.jpg at `learning_rate` (first_fit.json)."""

    def gain(results):
        psnr = results["fine_tuning_8_epochs"][learning_rate]
        return psnr[f"{photo}_after"] - psnr[f"{photo}_before"]

    return gain


PHOTOS = [
    quote(
        r"a model of σ = 50 is (\S+) dB better than the ready one at σ = 50, but a model of "
        r"σ = 15 is (\S+) dB better at σ = 15, and weighting the loss towards weak noise "
        r"recovers only (\S+) dB of that",
        *_PER_SIGMA_GAPS,
        _WEIGHTED_GAIN["15"],
    ),
    quote(
        r"gained (\S+) dB on that photo and lost (\S+) dB on the held-out ``flower.jpg`` after 8 "
        r"epochs at a learning rate of 1e-4 \((\S+) dB at 1e-5\)",
        field("first_fit", _fine_tuned("0.0001", "china"), ".2f"),
        derived(abs, field("first_fit", _fine_tuned("0.0001", "flower"), ".2f"), fmt=".2f"),
        derived(abs, field("first_fit", _fine_tuned("1e-05", "flower"), ".2f"), fmt=".2f"),
    ),
    quote(
        r"the model reached (\S+) dB on the noisy ``flower.jpg`` after 4 minutes on two CPU "
        r"cores, where non-local means, tuned on ``china.jpg``, gives (\S+) dB, BM3D, given σ, "
        r"(\S+) dB, and the ready denoiser, untrained, (\S+) dB",
        field("first_fit", lambda r: r["curves"]["defaults"][-1][2], ".2f"),
        field("first_fit", lambda r: r["classical"]["nl_means"], ".2f"),
        field("first_fit", lambda r: r["classical"]["bm3d"], ".2f"),
        field("first_fit", lambda r: r["curves"]["ready fine-tuned"][0][2], ".2f"),
    ),
    quote(
        r"each scaled to at most 1024 pixels on its longer side: (\S+) megapixels\.",
        field("photo_denoisers_training", lambda r: r["models"]["grey"]["megapixels"]),
    ),
    quote(
        r"``random_state=0``; (\S+) s for the grey model and (\S+) s for the colour one",
        *[
            field("photo_denoisers_training", lambda r, k=k: r["models"][k]["fit_seconds"], ",.0f")
            for k in ("grey", "color")
        ],
    ),
    quote(
        r"their files take (\S+) kB and (\S+) kB\.",
        *[
            field(
                "photo_denoisers_training",
                lambda r, k=k: r["models"][k]["file_bytes"] / 1e3,
                ".0f",
            )
            for k in ("grey", "color")
        ],
    ),
    quote(
        r"BM3D wins everywhere: on every photo, by (\S+) to (\S+) dB on average, at (\S+) s per "
        r"megapixel \(grey\) where the ready models' ``predict`` takes (\S+) s \(grey\) and "
        r"(\S+) s \(colour\)\.",
        derived(
            lambda *m: -max(m),
            *[
                field("photo_denoisers", g)
                for g in _ready_margins("grey") + _ready_margins("color")
            ],
            fmt=".2f",
        ),
        derived(
            lambda *m: -min(m),
            *[
                field("photo_denoisers", g)
                for g in _ready_margins("grey") + _ready_margins("color")
            ],
            fmt=".2f",
        ),
        _BM3D_SECONDS,
        *[
            field("photo_denoisers", _ready(k, lambda m: m["seconds_per_megapixel"]), ".2f")
            for k in ("grey", "color")
        ],
    ),
    quote(
        r"non-local means alone beats it on (\d+) of 9",
        field("photo_denoisers", _ready_beaten_by("grey", "15", "nl_means")),
    ),
    quote(
        r"tiles of others, comes out (\S+) dB below a tuned scikit-image denoiser",
        derived(abs, summary("25", "conv margin without BM3D"), fmt=".1f"),
    ),
    quote(
        r"\((\S+) to (\S+) s per megapixel in the benchmark's own process",
        derived(min, _PREDICT_PER_MEGAPIXEL, fmt=".1f"),
        derived(max, _PREDICT_PER_MEGAPIXEL, fmt=".1f"),
    ),
    quote(
        r"``predict`` took (\S+) to (\S+) s per megapixel on two cores\.",
        derived(min, _PREDICT_PER_MEGAPIXEL, fmt=".1f"),
        derived(max, _PREDICT_PER_MEGAPIXEL, fmt=".1f"),
    ),
    quote(
        r"40 x 40 \(28 x 28 for the reference network\), (\S+) to (\S+) minutes each "
        r"\((\S+) for the reference network\)",
        derived(lambda *s: min(s) / 60, _FULLY_CONV_FITS, fmt=".1f"),
        derived(lambda *s: max(s) / 60, _FULLY_CONV_FITS, fmt=".1f"),
        derived(lambda s: s / 60, lambda: photos_fit_seconds()["conv σ 25"], fmt=".1f"),
    ),
    quote(
        r"beats it only on ``grass`` and trails it by (\S+) to (\S+) dB on average\. BM3D "
        r"is slower \((\S+) s per megapixel",
        *_trails(_FULLY_CONV_MARGINS),
        _BM3D_SECONDS,
    ),
    quote(
        r"\(non-local means wins on ``coffee`` by (\S+) dB\)",
        derived(
            lambda ours, theirs: theirs - ours,
            cell("photos", "coffee", "25", column="fully_conv"),
            cell("photos", "coffee", "25", column="nl_means"),
            fmt=".2f",
        ),
    ),
    quote(
        r"wins on ``chelsea`` by (\S+) dB\)",
        derived(
            lambda ours, theirs: theirs - ours,
            cell("photos", "chelsea", "50", column="fully_conv"),
            cell("photos", "chelsea", "50", column="noise2self"),
            fmt=".2f",
        ),
    ),
    quote(
        r"wins on ``chelsea`` by [\d.]+ dB\), by (\S+) to (\S+) dB on average\.",
        derived(min, *_FULLY_CONV_MARGINS_WITHOUT_BM3D, fmt=".2f"),
        derived(max, *_FULLY_CONV_MARGINS_WITHOUT_BM3D, fmt=".2f"),
    ),
]


def _replacement(get):
    return field("blind_spot_replacement", get, fmt=".1f")


_MEDIAN_VS_NEIGHBOUR = (
    _replacement(lambda r: r["median"]["psnr_db"]),
    _replacement(lambda r: r["noisy_psnr"]),
    _replacement(lambda r: r["random neighbour"]["psnr_db"]),
)


NOISY_ONLY = [
    quote(
        r"masked loss\) on (\d+) of (\d+) cases, and above the noisy table itself on "
        r"(\d+) of (\d+) \(for example (\S+) against (\S+) on ``digits``",
        *_noisy_only_count(
            lambda c: (
                c["blind_spot"]["error"] < min(c["pca_mle"]["error"], c["pca_masked"]["error"])
            )
        ),
        *_noisy_only_count(lambda c: c["blind_spot"]["error"] > c["noisy_error"]),
        field(
            "noisy_only", lambda r: r["cases"]["digits / gaussian"]["blind_spot"]["error"], ".3f"
        ),
        field("noisy_only", lambda r: r["cases"]["digits / gaussian"]["noisy_error"], ".3f"),
    ),
    quote(
        r"\(Spearman correlation at least 0\.8 on (\d+) of (\d+) cases\)",
        *_noisy_only_count(lambda c: c["grid"]["spearman"] >= 0.8 - 1e-9),
    ),
    quote(
        r"given the whole noisy photo, ends below it: (\S+) dB against the noisy "
        r"photo's (\S+) dB, where a random neighbour gives (\S+) dB",
        *_MEDIAN_VS_NEIGHBOUR,
    ),
    quote(
        r"nine noisy photos reached (\S+), (\S+) and (\S+) dB on average, up from (\S+), "
        r"(\S+) and (\S+) dB\.",
        *(_photo_mean(noise, "all_nine") for noise in _PHOTO_NOISES),
        *(
            field("noisy_only_photos", lambda r, n=noise: _photo_psnr(r, n, "noisy"), ".2f")
            for noise in _PHOTO_NOISES
        ),
    ),
    quote(
        r"noisy photo, reached (\S+), (\S+) and (\S+) dB\.",
        *(_photo_mean(noise, "bm3d") for noise in _PHOTO_NOISES),
    ),
    quote(
        r"ahead at σ = 25 \((\S+) dB for non-local means\), level at σ = 50 \((\S+) dB for "
        r"TV\) and behind on the Poisson noise \((\S+) dB for TV\)",
        _photo_mean("σ 25", "nl_means_n2s"),
        _photo_mean("σ 50", "tv_n2s"),
        _photo_mean("poisson 30", "tv_n2s"),
    ),
    quote(
        r"A model per photo did (\S+) to (\S+) dB worse than the one for all nine, and the "
        r"supervised model of :doc:`photos`, trained on clean photos, did (\S+) and (\S+) dB",
        _photo_gap(min),
        _photo_gap(max),
        *(_photo_trail(noise, "all_nine", "supervised") for noise in _PHOTO_NOISES[:2]),
    ),
    quote(
        r"The fits took (\d+) to (\d+) s for all nine photos on 2 cores\.",
        _photo_fits(min, lambda fits: fits["all_nine"]),
        _photo_fits(max, lambda fits: fits["all_nine"]),
    ),
]

# The docstring of BlindSpotNoiser, on the API page.
BLIND_SPOT_NOISER = [
    quote(
        r"ends below the noisy input \((\S+) against (\S+) dB, where a random "
        r"neighbour gives (\S+) dB\)",
        *_MEDIAN_VS_NEIGHBOUR,
    ),
]


PAGES = {
    "README.md": README,
    "docs/benchmarks.rst": BENCHMARKS_PAGE,
    "benchmarks/README.md": BENCHMARKS_README,
    "docs/user_guide/training.rst": TRAINING,
    "docs/user_guide/deploying.rst": DEPLOYING,
    "docs/user_guide/pca.rst": PCA,
    "docs/user_guide/photos.rst": PHOTOS,
    "docs/user_guide/noisy_only.rst": NOISY_ONLY,
    "skdenoise/_blind_spot.py": BLIND_SPOT_NOISER,
}


def _cases():
    return [
        pytest.param(page, quote, id=f"{page}: {quote.where[:40]}")
        for page, quotes in PAGES.items()
        for quote in quotes
    ]


@pytest.mark.parametrize("page, quote", _cases())
def test_quoted_numbers_are_those_of_their_results(page, quote):
    # Line breaks and indentation do not split a sentence.
    page_text = " ".join((ROOT / page).read_text().split())
    found = list(re.finditer(quote.where, page_text))
    assert len(found) == 1, f"{len(found)} matches of {quote.where!r}"
    (match,) = found
    assert len(match.groups()) == len(quote.sources)
    for group in range(1, len(quote.sources) + 1):
        # Each capture holds a whole number, not a part of a longer one.
        before, after = page_text[: match.start(group)], page_text[match.end(group) :]
        assert not re.search(r"\d[.,]?$", before) and not re.match(r"[.,]?\d", after)
    expected = [number for source in quote.sources for number in numbers(source())]
    assert numbers(" ".join(match.groups())) == expected
