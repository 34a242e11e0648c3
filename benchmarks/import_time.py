"""Import time of skdenoise, against what importing it used to load.

Each measurement is a fresh interpreter running one import statement, the
statements taking turns:

- ``import sklearn.base``: the floor, scikit-learn itself, which every
  estimator needs;
- ``import skdenoise``: the package, which imports TensorFlow and Keras on
  the first fit or load only;
- ``import skdenoise, keras``: the package with the TensorFlow backend, as
  ``import skdenoise`` loaded it before TensorFlow was imported on first use
  (and as the first fit still does).

Reports min / median / max seconds of each and writes import_time.json and
import_time.md.
"""

import subprocess
import sys
import time

import _common

STATEMENTS = {
    "sklearn.base": "import sklearn.base",
    "skdenoise": "import skdenoise",
    "skdenoise + TensorFlow backend": "import skdenoise, keras",
}


def time_import(statement):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv=None):
    parser = _common.argument_parser(__doc__, repeats=7)
    args = parser.parse_args(argv)

    info = _common.start()
    seconds = {name: [] for name in STATEMENTS}
    for repeat in range(args.repeats):
        for name, statement in STATEMENTS.items():
            seconds[name].append(time_import(statement))
        _common.log(f"repeat {repeat + 1}: " + ", ".join(f"{s[-1]:.2f}" for s in seconds.values()))

    summaries = {name: _common.seconds_summary(values) for name, values in seconds.items()}
    rows = [
        [f"`{STATEMENTS[name]}`", "{min:.2f} / {median:.2f} / {max:.2f}".format(**summary)]
        for name, summary in summaries.items()
    ]
    markdown = (
        "# Import time\n\n"
        f"`python benchmarks/import_time.py --repeats {args.repeats}`\n\n"
        "A fresh interpreter per import, the statements taking turns; "
        "seconds, min / median / max.\n\n" + _common.markdown_table(["statement", "seconds"], rows)
    )
    _common.write_results(
        args.output_dir,
        "import_time",
        {"settings": {"repeats": args.repeats}, "seconds": seconds, "summary": summaries},
        markdown,
        info,
    )


if __name__ == "__main__":
    main()
