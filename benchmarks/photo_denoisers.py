"""The ready photo denoisers against the classical ones, on the test photos.

Rules, fixed before the run: photos.py's, for photo_denoiser() on its nine grey photos
and photo_denoiser(color=True) on the four that are colour, in RGB (BM3D as bm3d_rgb),
told nothing of σ. Reported: every cell (json); per σ, mean PSNRs, the margin over the
best of scikit-image's four per photo and over BM3D, photos won; predict s/megapixel.
"""

import _common
import numpy as np
import photos
from skimage import data, img_as_float
from sklearn.datasets import load_sample_image

from skdenoise.pretrained import photo_denoiser

TESTS = {"grey": photos.TEST, "color": ("astronaut", "chelsea", "coffee", "rocket")}


def evaluate(kind, names, sigmas):
    load = photos.grey if kind == "grey" else img_as_float
    test = {name: load(getattr(data, name)()) for name in names}
    train = [load(load_sample_image(name)) for name in ("china.jpg", "flower.jpg")]
    model, rows, seconds = photo_denoiser(color=kind == "color"), [], []
    for sigma in sigmas:
        tuned = photos.tune(train, sigma, photos.GRIDS)
        for photo, clean in test.items():
            noisy = photos.add_noise(clean, 12345, photos.TEST.index(photo), sigma)
            row = {"photo": photo, "sigma": sigma}
            for name in photos.GRIDS:
                row[name] = photos.scores(clean, photos.classical(name, tuned[name], noisy, sigma))
            with _common.Stopwatch() as watch:
                denoised = model.predict(noisy[np.newaxis])[0]
            seconds.append(watch.seconds / (clean.shape[0] * clean.shape[1] / 1e6))
            row["ready"] = photos.scores(clean, denoised)
            rows.append(row)
    summary = {sigma: summarise([r for r in rows if r["sigma"] == sigma]) for sigma in sigmas}
    return {"rows": rows, "summary": summary, "seconds_per_megapixel": float(np.median(seconds))}


def summarise(rows):
    mean = {n: float(np.mean([r[n][0] for r in rows])) for n in (*photos.GRIDS, "ready")}
    free = [max(r[n][0] for n in photos.FREE) for r in rows]  # best of scikit-image's, per photo
    return {
        "mean_psnr": {name: round(value, 2) for name, value in mean.items()},
        "margin_free": round(mean["ready"] - float(np.mean(free)), 2),
        "margin_bm3d": round(mean["ready"] - mean["bm3d"], 2),
        "wins_free": sum(r["ready"][0] > best for r, best in zip(rows, free)),
        "wins_bm3d": sum(r["ready"][0] > r["bm3d"][0] for r in rows),
    }


def main(argv=None):
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--quick", action="store_true", help="1 photo, σ 25")
    args = parser.parse_args(argv)
    info, results = _common.start(), {"models": {}}
    command = "`python benchmarks/photo_denoisers.py" + " --quick" * args.quick
    lines = [f"# Ready photo denoisers\n\n{command}`; rules in the script's docstring.\n"]
    sigmas = (25,) if args.quick else photos.SIGMAS
    for kind, names in TESTS.items():
        names = names[:1] if args.quick else names
        part = results["models"][kind] = evaluate(kind, names, sigmas)
        for sigma, s in part["summary"].items():
            lines.append(
                f"- {kind}, σ = {sigma}: mean PSNR {s['mean_psnr']}; margin over the best free "
                f"{s['margin_free']:+.2f} dB, better on {s['wins_free']}/{len(names)}; over "
                f"BM3D {s['margin_bm3d']:+.2f} dB, better on {s['wins_bm3d']}/{len(names)}"
            )
        lines.append(f"- {kind}: predict {part['seconds_per_megapixel']:.2f} s per megapixel")
    name = "photo_denoisers" + "_quick" * args.quick
    _common.write_results(args.output_dir, name, results, "\n".join(lines) + "\n", info)


if __name__ == "__main__":
    main()
