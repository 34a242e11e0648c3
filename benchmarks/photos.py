"""Grey photos: classical denoisers against convolutional autoencoders.

Rules, fixed before any run. Photos become grey float in [0, 1] (rgb2gray,
img_as_float), as BSD68, whose published figures are quoted, is grey.
Training: scikit-learn's china.jpg and flower.jpg; test: scikit-image's
astronaut, camera, chelsea, coffee, coins, rocket, brick, grass, gravel.
Noise: additive Gaussian, sigma 15, 25, 50 / 255, not clipped, seeded by
(12345, photo index, sigma) on test photos, (1, ...) on training photos.
Outputs are clipped to [0, 1], scored by PSNR and SSIM (data_range=1); the
noisy PSNR is the unclipped input's. Classical (scikit-image), tuned per
sigma by mean PSNR on the training photos only: TV (Chambolle, weight k *
sigma), wavelet (BayesShrink, rescale_sigma=True, sigma estimated or given),
non-local means (patch 5, distance 6, fast, sigma given, h = k * sigma); and
Noise2Self: calibrate_denoiser picks the TV weight (of 9, 0.02 to 0.4) on
each test photo itself, sigma unknown, then plain TV runs with it; BM3D
(the ``bm3d`` package of the benchmarks extra, free for non-commercial use
only), sigma given, nothing to tune. Best classical: the largest PSNR of
these five, per photo and sigma, and of the four without BM3D (the
denoisers free for commercial use); each one's seconds per megapixel. Models
(DenoisingAutoencoder, loss="mse", cosine schedule, noise not clipped, no validation,
random_state=0, --epochs epochs of fresh random patches of the training
photos): fully_conv (patch 40, one model per sigma, trained and applied at
it), blind (sigma per image in [0, 55/255], applied at every sigma), conv
(the reference network, patch 28, sigma 25, applied at 25 to 28x28 tiles at
a step of 14, overlaps averaged). Reported: fit seconds, predict seconds per
megapixel; and, for fully_conv of sigma 25 saved and loaded in a fresh process
per size, predict seconds and peak memory (growth of Linux's VmHWM over the
resident memory after loading and one small predict: host memory) on the
noisy astronaut photo (sigma 25) mirrored to 1, 4 and 12 megapixels.
"""

import itertools
import multiprocessing
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import _common
import numpy as np
from skimage import color, data, img_as_float
from skimage import restoration as r
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from sklearn.datasets import load_sample_image

from skdenoise import DenoisingAutoencoder, GaussianNoiser, load

TEST = ("astronaut", "camera", "chelsea", "coffee", "coins", "rocket", "brick", "grass", "gravel")
SIGMAS = (15, 25, 50)  # in 255ths
# TV weight and non-local means h as multiples of sigma; Noise2Self's weights are absolute.
GRIDS = {"tv": (0.5, 0.7, 0.9, 1.2, 1.6), "wavelet": ("estimated", "given")}
GRIDS |= {"nl_means": (0.4, 0.5, 0.6, 0.8, 1.0), "noise2self": tuple(np.geomspace(0.02, 0.4, 9))}
GRIDS["bm3d"] = ("given",)
# The classical denoisers a commercial user may run: all but BM3D.
FREE = ("tv", "wavelet", "nl_means", "noise2self")
# name: (architecture, patch size, training noise or None: a model per test sigma,
# test sigmas, tile)
MODELS = {"fully_conv": ("fully_conv", 40, None, SIGMAS, None)}
MODELS["blind"] = ("fully_conv", 40, (0, 55 / 255), SIGMAS, None)
MODELS["conv"] = ("conv", 28, None, (25,), 28)
LARGE = ((1000, 1000), (2000, 2000), (3000, 4000))  # 1, 4 and 12 megapixels
OPTIONS = dict(
    loss="mse", learning_rate_schedule="cosine", validation_fraction=0.0, random_state=0
)
INTRO = """# Grey photos: classical denoisers and autoencoders

`{}`; rules in the script's docstring.
Cells: PSNR (dB) / SSIM; for the models, (margin): PSNR minus the best
classical PSNR of the same photo and σ.
"""
LARGE_INTRO = """
Large photos: the fully_conv model of σ = 25, saved, loaded in a fresh process
per size, predicting the noisy astronaut photo mirrored to the size (tiles of
at most 1024 x 1024 pixels above a megapixel). Memory: growth of the peak
resident memory over that after loading and one small predict.
"""
CONTEXT = """Context, not like-for-like (other photos, other training): published mean
PSNRs on BSD68 at σ = 25 are DnCNN 29.23 dB, BM3D 28.57 dB, Noise2Void 27.71 dB."""


def grey(photo):
    return color.rgb2gray(photo) if photo.ndim == 3 else img_as_float(photo)


def add_noise(clean, seed, index, sigma):
    rng = np.random.default_rng((seed, index, sigma))
    return clean + sigma / 255 * rng.standard_normal(clean.shape)


def classical(name, value, image, sigma):
    s, axis = sigma / 255, (-1 if image.ndim == 3 else None)  # grey, or RGB
    if name == "tv":
        return r.denoise_tv_chambolle(image, weight=value * s, channel_axis=axis)
    if name == "wavelet":
        options = dict(method="BayesShrink", rescale_sigma=True, channel_axis=axis)
        return r.denoise_wavelet(image, sigma=s if value == "given" else None, **options)
    if name == "nl_means":
        options = dict(patch_size=5, patch_distance=6, fast_mode=True, channel_axis=axis)
        return r.denoise_nl_means(image, h=value * s, sigma=s, **options)
    if name == "bm3d":
        import bm3d

        return bm3d.bm3d(image, s) if axis is None else bm3d.bm3d_rgb(image, s)
    tv, grid = r.denoise_tv_chambolle, {"weight": list(value), "channel_axis": [axis]}  # N2S
    _, (tested, losses) = r.calibrate_denoiser(image, tv, grid, extra_output=True)
    return tv(image, **tested[int(np.argmin(losses))])


def scores(clean, output):
    output, axis = np.clip(output, 0, 1), (-1 if clean.ndim == 3 else None)
    psnr = peak_signal_noise_ratio(clean, output, data_range=1)
    ssim = structural_similarity(clean, output, data_range=1, channel_axis=axis)
    return [round(float(psnr), 2), round(float(ssim), 4)]


def tune(train, sigma, grids):
    """Each classical denoiser's grid value of best mean PSNR on the training photos."""
    noisy = [(clean, add_noise(clean, 1, i, sigma)) for i, clean in enumerate(train)]

    def mean_psnr(name, value):
        return np.mean([scores(c, classical(name, value, x, sigma))[0] for c, x in noisy])

    tuned = {n: max(grids[n], key=partial(mean_psnr, n)) for n in ("tv", "wavelet", "nl_means")}
    return tuned | {"noise2self": grids["noise2self"], "bm3d": "given"}


def memory_mb(key):
    return int(re.search(key + r":\s*(\d+)", Path("/proc/self/status").read_text())[1]) / 1024


def predict(model, tile, timing, image):
    """`image` denoised whole or by overlapping tiles; its time into `timing`."""
    with _common.Stopwatch() as watch:
        if tile is None:
            output = model.predict(image[np.newaxis])[0]
        else:
            starts = [sorted({*range(0, n - tile, tile // 2), n - tile}) for n in image.shape]
            windows = [np.s_[i : i + tile, j : j + tile] for i, j in itertools.product(*starts)]
            output, count = np.zeros_like(image), np.zeros_like(image)
            tiles = model.predict(np.array([image[window] for window in windows]))
            for window, denoised in zip(windows, tiles):
                output[window] += denoised
                count[window] += 1
            output /= count
    timing.setdefault("seconds_per_megapixel", []).append(watch.seconds / (image.size / 1e6))
    return output


def model_key(name, sigma):
    """The key of a fitted model: its name, and the sigma of a model per sigma."""
    return name if sigma is None else f"{name} σ {sigma}"


def fit_models(train, epochs, sigmas, timings):
    """(name: (denoise(noisy, sigma), test sigmas), model key: fitted model) of MODELS."""
    contenders, models = {}, {}
    for name, (architecture, patch_size, noise, test_sigmas, tile) in MODELS.items():
        test_sigmas = [sigma for sigma in test_sigmas if sigma in sigmas]
        for sigma in test_sigmas if noise is None else [None]:
            key = model_key(name, sigma)
            model = DenoisingAutoencoder(
                architecture=architecture,
                patch_size=patch_size,
                noise=GaussianNoiser(noise or sigma / 255, clip=None, random_state=0),
                epochs=epochs,
                **OPTIONS,
            )
            with _common.Stopwatch() as watch:
                models[key] = model.fit(train)
            _common.log(f"{key}: fit {watch.seconds:.0f} s")
            timings[key] = {"fit_seconds": watch.seconds}

        def denoise(noisy, sigma, name=name, tile=tile, per_sigma=noise is None):
            key = model_key(name, sigma if per_sigma else None)
            return predict(models[key], tile, timings[key], noisy)

        contenders[name] = (denoise, test_sigmas)
    return contenders, models


def predict_large(path, image):
    """Seconds and peak memory growth (MB) of one predict, in this fresh process."""
    model = load(path)
    model.predict(image[np.newaxis, :64, :64])  # trace the function first
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = memory_mb("VmRSS")
    with _common.Stopwatch() as watch:
        model.predict(image[np.newaxis])
    return watch.seconds, memory_mb("VmHWM") - before


def large_photos(model, noisy, shapes):
    """{megapixels: {seconds, peak_memory_mb}} of `model` on `noisy` mirrored to `shapes`."""
    results = {}
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fully_conv.skd"
        model.save(path)
        for shape in shapes:
            padding = [(0, n - m) for n, m in zip(shape, noisy.shape)]
            image = np.pad(noisy, padding, mode="symmetric")
            with ProcessPoolExecutor(1, mp_context=spawn) as fresh_process:
                seconds, peak = fresh_process.submit(predict_large, path, image).result()
            megapixels = image.size / 1e6
            results[f"{megapixels:g}"] = {"seconds": seconds, "peak_memory_mb": peak}
            _common.log(f"{megapixels:g} MP: {seconds:.1f} s, peak memory +{peak:.0f} MB")
    return results


def cell(row, name, margin):
    if name not in row:
        return "—"
    extra = f" ({row[name][0] - row['best_classical']:+.2f})" if margin else ""
    return f"{row[name][0]:.2f} / {row[name][1]:.4f}{extra}"


def markdown_report(results, command):
    names = [*GRIDS, *MODELS]
    header = ["photo", "σ", "noisy", "best classical", *names]
    table = [
        [row["photo"], row["sigma"], f"{row['noisy_psnr']:.2f}", f"{row['best_classical']:.2f}"]
        + [cell(row, n, margin=n in MODELS) for n in names]
        for row in results["rows"]
    ]
    lines = [INTRO.format(command), _common.markdown_table(header, table)]
    for sigma, tuned in results["tuned"].items():
        rows = [row for row in results["rows"] if row["sigma"] == sigma]
        best = np.array([row["best_classical"] for row in rows])
        best_free = np.array([max(row[n][0] for n in FREE) for row in rows])
        lines.append(f"- σ = {sigma}: best classical {best.mean():.2f} dB on average")
        lines[-1] += f" ({best_free.mean():.2f} without BM3D); tuned:"
        lines[-1] += (
            f" tv {tuned['tv']}σ, wavelet {tuned['wavelet']}, nl_means {tuned['nl_means']}σ"
        )
        for name in (name for name in MODELS if name in rows[0]):
            psnr = np.array([row[name][0] for row in rows])
            lines[-1] += f"; {name} margin {(psnr - best).mean():+.2f} dB"
            lines[-1] += f", better on {(psnr > best).sum()}/{psnr.size}"
            lines[-1] += f", without BM3D {(psnr - best_free).mean():+.2f} dB"
            lines[-1] += f", better on {(psnr > best_free).sum()}/{psnr.size}"
    if results.get("classical"):
        timings = [
            f"{name} {np.median(times['seconds_per_megapixel']):.2f}"
            for name, times in results["classical"].items()
        ]
        lines.append("- classical, seconds per megapixel (median): " + ", ".join(timings))
    for name, times in results["models"].items():
        per_megapixel = np.median(times["seconds_per_megapixel"])
        lines.append(f"- {name}: fit {times['fit_seconds']:.0f} s, predict {per_megapixel:.2f}")
        lines[-1] += " s/megapixel (median)"
    if not results["models"]:
        lines.append("\nModels not run (`--classical-only`): their columns come from a later run.")
    else:
        lines.append(LARGE_INTRO)
        large = [
            [megapixels, f"{r['seconds']:.1f}", f"{r['seconds'] / float(megapixels):.2f}"]
            + [f"{r['peak_memory_mb']:.0f}"]
            for megapixels, r in results["large_photos"].items()
        ]
        header = ["megapixels", "predict s", "s per megapixel", "peak memory growth (MB)"]
        lines.append(_common.markdown_table(header, large))
    return "\n".join([*lines, "", CONTEXT])


def main(argv=None):
    parser = _common.argument_parser(__doc__, epochs=30)
    parser.add_argument("--quick", action="store_true", help="1 photo, σ 25, 1 epoch, 2 values")
    parser.add_argument("--classical-only", action="store_true", help="skip the models")
    args = parser.parse_args(argv)
    sigmas, names, size = ((25,), TEST[:1], 2) if args.quick else (SIGMAS, TEST, None)
    args.epochs = 1 if args.quick else args.epochs
    info = _common.start()
    train = [grey(load_sample_image(name)) for name in ("china.jpg", "flower.jpg")]
    test = {name: grey(getattr(data, name)()) for name in names}
    tuned = {s: tune(train, s, {n: g[:size] for n, g in GRIDS.items()}) for s in sigmas}
    results = {"tuned": tuned, "rows": [], "models": {}, "classical": {n: {} for n in GRIDS}}

    def timed_classical(noisy, sigma, name):
        with _common.Stopwatch() as watch:
            output = classical(name, tuned[sigma][name], noisy, sigma)
        timing = results["classical"][name].setdefault("seconds_per_megapixel", [])
        timing.append(watch.seconds / (noisy.size / 1e6))
        return output

    contenders = {n: (partial(timed_classical, name=n), sigmas) for n in GRIDS}
    if not args.classical_only:
        models, fitted = fit_models(train, args.epochs, sigmas, results["models"])
        contenders |= models
    for sigma, (index, (photo, clean)) in itertools.product(sigmas, enumerate(test.items())):
        noisy = add_noise(clean, 12345, index, sigma)
        noisy_psnr = round(float(-10 * np.log10(np.mean((noisy - clean) ** 2))), 2)
        row = {"photo": photo, "sigma": sigma, "noisy_psnr": noisy_psnr}
        for name, (denoise, applies_at) in contenders.items():
            if sigma in applies_at:
                row[name] = scores(clean, denoise(noisy, sigma))
        row["best_classical"] = max(row[n][0] for n in GRIDS)
        results["rows"].append(row)
        _common.log(f"{photo} σ {sigma}: best classical {row['best_classical']} dB")
    if not args.classical_only:
        noisy = add_noise(next(iter(test.values())), 12345, 0, 25)
        shapes = LARGE[:1] if args.quick else LARGE
        results["large_photos"] = large_photos(fitted[model_key("fully_conv", 25)], noisy, shapes)
    flags = " --quick" * args.quick
    flags += " --classical-only" if args.classical_only else f" --epochs {args.epochs}"
    results["settings"] = {**vars(args), "output_dir": str(args.output_dir)}
    markdown = markdown_report(results, f"python benchmarks/photos.py{flags}")
    _common.write_results(args.output_dir, "photos", results, markdown, info)


if __name__ == "__main__":
    main()
