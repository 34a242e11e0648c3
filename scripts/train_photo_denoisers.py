"""Train the ready photo denoisers that ship in ``skdenoise/pretrained``, from scratch.

It writes the package's model files, and its record into benchmarks/results.

Recipe, fixed before the run: ``photo_corpus.py``'s photographs (grey by
rgb2gray for the grey model, RGB for the colour one); DenoisingAutoencoder
with architecture="fully_conv", patch_size=40, batch_size=32, loss="mse",
learning_rate_schedule="cosine", validation_fraction=0.0, random_state=0,
and GaussianNoiser((0, 55/255), clip=None, random_state=0): every patch gets
its own σ, drawn uniformly in [0, 55/255] (blind, as DnCNN-B), for --epochs
epochs of fresh random patches (one epoch: the corpus's pixels once, in
expectation). Budget: the CPU of the machine line, about 25 minutes a model on
2 cores at 30 epochs. Each model is saved with ``save`` into the package;
reported: fit seconds, final training loss, parameters, file size and SHA-256
(copied into ``skdenoise/pretrained/__init__.py``'s table, which checks it
before loading).
"""

import hashlib
import sys
from pathlib import Path

import photo_corpus

# The benchmarks' harness: timer, log, results writer with the machine line.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _common

from skdenoise import DenoisingAutoencoder, GaussianNoiser

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "skdenoise" / "pretrained"
MAX_SIGMA = 55 / 255
OPTIONS = dict(
    architecture="fully_conv",
    patch_size=40,
    batch_size=32,
    loss="mse",
    learning_rate_schedule="cosine",
    validation_fraction=0.0,
    random_state=0,
)


def train(photos, epochs):
    model = DenoisingAutoencoder(
        noise=GaussianNoiser((0, MAX_SIGMA), clip=None, random_state=0), epochs=epochs, **OPTIONS
    )
    with _common.Stopwatch() as watch:
        model.fit(photos)
    return model, watch.seconds


def main(argv=None):
    parser = _common.argument_parser(__doc__, epochs=30)
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR, help="where to save")
    parser.add_argument("--only", choices=("grey", "color"), help="train one model only")
    args = parser.parse_args(argv)
    info = _common.start()
    results = {"epochs": args.epochs, "options": OPTIONS, "max_sigma_255": 55, "models": {}}
    rows = []
    for name in ("grey", "color"):
        if args.only not in (None, name):
            continue
        photos = photo_corpus.load_corpus(grey=name == "grey")
        megapixels = sum(photo.shape[0] * photo.shape[1] for photo in photos) / 1e6
        _common.log(f"{name}: {len(photos)} photos, {megapixels:.1f} megapixels")
        model, seconds = train(photos, args.epochs)
        args.package_dir.mkdir(parents=True, exist_ok=True)
        path = args.package_dir / f"photo_{name}.skd"
        model.save(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = {
            "photos": len(photos),
            "megapixels": round(megapixels, 1),
            "fit_seconds": round(seconds, 1),
            "final_loss": float(model.history_["loss"][-1]),
            "parameters": int(model.model_.count_params()),
            "file_bytes": path.stat().st_size,
            "sha256": digest,
        }
        results["models"][name] = entry
        _common.log(f"{name}: {entry}")
        rows.append(
            [
                name,
                entry["photos"],
                entry["megapixels"],
                f"{seconds:.0f}",
                f"{entry['final_loss']:.3g}",
                f"{entry['parameters']:,}",
                f"{entry['file_bytes'] / 1e3:.0f}",
                f"`{digest[:16]}…`",
            ]
        )
    command = f"python scripts/train_photo_denoisers.py --epochs {args.epochs}"
    command += f" --only {args.only}" if args.only else ""
    markdown = f"# Training the ready photo denoisers\n\n`{command}`; recipe in the docstring.\n\n"
    header = [
        "model",
        "photos",
        "megapixels",
        "fit s",
        "final loss",
        "parameters",
        "kB",
        "SHA-256",
    ]
    markdown += _common.markdown_table(header, rows)
    name = "photo_denoisers_training" + (f"_{args.only}" if args.only else "")
    _common.write_results(args.output_dir, name, results, markdown, info)


if __name__ == "__main__":
    main()
