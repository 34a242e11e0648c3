"""One-sample latency of predict and transform, each in a fresh process.

The default dense network on breast cancer and the convolutional one on MNIST
digits, fitted for one epoch: the first call, then the median, 99th
percentile and worst of ``--calls`` one-sample calls, the worst CPU time and
the gc collections (counted through ``gc.callbacks``, settings untouched).
``--baseline PATH`` times the skdenoise of the checkout at PATH in turn.
"""

import json
import os
import subprocess
import sys
import time

import numpy as np

NETWORKS = ("dense", "conv")
METHODS = ("predict", "transform")
N_TRAIN = 256


def measure(network, method, calls):
    """Run in the fresh process: fit, a first call, then `calls` timed calls."""
    import gc

    import skdenoise
    from skdenoise import DenoisingAutoencoder

    if network == "dense":
        from sklearn.datasets import load_breast_cancer
        from sklearn.preprocessing import minmax_scale

        X = minmax_scale(load_breast_cancer().data)[:N_TRAIN]
    else:
        from skdenoise.datasets import load_mnist_sample

        X = load_mnist_sample().data[:N_TRAIN]
    dae = DenoisingAutoencoder(epochs=1, random_state=0).fit(X)
    call, one = getattr(dae, method), X[:1]
    start = time.perf_counter()
    call(one)
    first = time.perf_counter() - start

    collections = [0, 0, 0]

    def count(phase, info):
        if phase == "start":
            collections[info["generation"]] += 1

    gc.callbacks.append(count)
    wall, cpu = [], []
    for _ in range(calls):
        start, start_cpu = time.perf_counter(), time.process_time()
        call(one)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    gc.callbacks.remove(count)
    ms = np.array(wall) * 1e3
    return {
        "skdenoise_path": os.path.dirname(skdenoise.__file__),
        "architecture": dae.architecture_,
        "parameters": dae.model_.count_params(),
        "first_call": first * 1e3,
        "median": float(np.median(ms)),
        "p99": float(np.percentile(ms, 99)),
        "worst": float(ms.max()),
        "worst_cpu": max(cpu) * 1e3,
        "gc_collections": collections,
    }


def in_fresh_process(network, method, calls, skdenoise_path=None):
    """`measure` in a new interpreter, with `skdenoise_path` first on its path."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    if skdenoise_path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(skdenoise_path), env.get("PYTHONPATH", "")])
    command = [sys.executable, __file__, "--measure", network, method, str(calls)]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def report(rows, args):
    import _common

    header = ["Network", "Method", "skdenoise", "first call", "median", "p99", "worst"]
    header += ["worst CPU", "gc 0/1/2"]
    table = [
        [
            f"{row['architecture']} ({row['parameters']:,} parameters)",
            row["method"],
            row["skdenoise"],
            *(f"{row[key]:.2f}" for key in ("first_call", "median", "p99", "worst", "worst_cpu")),
            "/".join(map(str, row["gc_collections"])),
        ]
        for row in rows
    ]
    return "\n".join(
        [
            "One-sample latency in a fresh process, milliseconds",
            "",
            f"Each row is one new process: one epoch of fitting on {N_TRAIN} rows, "
            f"a first call, then {args.calls} timed one-sample calls: median, 99th "
            "percentile and worst wall time, the worst CPU time of a call (which "
            "waiting for a busy core does not count) and the garbage collections "
            f"of each generation during them. {args.rounds} round(s)"
            + (
                f"; baseline: skdenoise from {args.baseline}, taking turns."
                if args.baseline
                else "."
            )
            + " Dense: the default network on the breast-cancer table (30 features); "
            "conv: the default network on MNIST digits.",
            "",
            _common.markdown_table(header, table),
        ]
    )


def main():
    if sys.argv[1:2] == ["--measure"]:
        network, method, calls = sys.argv[2:5]
        print(json.dumps(measure(network, method, int(calls))))
        return
    import _common

    parser = _common.argument_parser(__doc__)
    parser.add_argument("--calls", type=int, default=1000, help="timed calls per process")
    parser.add_argument("--rounds", type=int, default=1, help="processes per case and version")
    parser.add_argument("--baseline", help="a checkout whose skdenoise to time in turn")
    args = parser.parse_args()
    info = _common.start()
    versions = {"current": None}
    if args.baseline:
        commit = subprocess.run(
            ["git", "-C", args.baseline, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        versions[f"baseline {commit}".strip()] = os.path.abspath(args.baseline)
    rows = []
    for _ in range(args.rounds):
        for network in NETWORKS:
            for method in METHODS:
                for version, path in versions.items():
                    row = in_fresh_process(network, method, args.calls, path)
                    rows.append({"method": method, "skdenoise": version, **row})
                    _common.log(
                        f"{network} {method} ({version}): first {row['first_call']:.1f}, "
                        f"median {row['median']:.2f}, p99 {row['p99']:.2f}, "
                        f"worst {row['worst']:.2f} (CPU {row['worst_cpu']:.2f}) ms, "
                        f"gc {row['gc_collections']}"
                    )
    _common.write_results(
        args.output_dir,
        "latency",
        {"args": {k: str(v) for k, v in vars(args).items()}, "milliseconds": rows},
        report(rows, args),
        info,
    )


if __name__ == "__main__":
    main()
