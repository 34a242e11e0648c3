"""Peak memory of inference on a large read-only float32 memmap.

Each method in a fresh process: the growth of anonymous resident memory
(``RssAnon``, sampled every 5 ms; the mapped file's pages do not count) of
``transform`` on the memmap, Keras ``encoder.predict`` on it, and
``transform`` on the array loaded into memory. Writes memory.json and memory.md.
"""

import pickle
import subprocess
import sys
import textwrap

import _common
import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.datasets import load_mnist_sample

DATA = _common.DATA_DIR / "memmap_200k.npy"
MODEL = _common.DATA_DIR / "memory_model.pkl"
METHODS = ["skdenoise_transform_memmap", "keras_predict", "in_memory"]

MEASURE = textwrap.dedent(
    """
    import os, pickle, sys, threading, time
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    method, data, model_path = sys.argv[1:4]

    def anonymous_mb():
        # Heap memory only: pages of the memory-mapped file are not counted.
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024

    with open(model_path, "rb") as file:
        dae = pickle.load(file)
    X = np.load(data, mmap_mode="r")
    dae.transform(X[:2048])            # trace the functions first
    dae.encoder_.predict(X[:2048].reshape(-1, 28, 28, 1), verbose=0)
    if method == "in_memory":
        X = np.array(X)
    before = anonymous_mb()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], anonymous_mb())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    if method == "keras_predict":
        codes = dae.encoder_.predict(X.reshape(-1, 28, 28, 1), batch_size=1024, verbose=0)
    else:
        codes = dae.transform(X)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    print(before, peak[0], seconds, codes.nbytes / 2**20)
    """
)


def write_memmap(n_samples, digits):
    """Write `n_samples` digits, repeated, to the float32 .npy file `DATA`."""
    DATA.parent.mkdir(parents=True, exist_ok=True)
    big = np.lib.format.open_memmap(DATA, mode="w+", dtype=np.float32, shape=(n_samples, 784))
    for start in range(0, n_samples, len(digits)):
        stop = min(start + len(digits), n_samples)
        big[start:stop] = digits[: stop - start]
    big.flush()


def measure_in_fresh_process(method):
    """Heap before, peak heap, seconds and output size of one method."""
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, method, str(DATA), str(MODEL)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    before, after, seconds, output_mb = map(float, output[-4:])
    row = {
        "method": method,
        "heap_before_mb": round(before),
        "heap_peak_mb": round(after),
        "heap_growth_mb": round(after - before),
        "seconds": round(seconds, 2),
        "output_mb": round(output_mb),
    }
    _common.log(str(row))
    return row


def markdown_report(results):
    table = _common.markdown_table(
        ["method", "peak heap growth (MB)", "time (s)", "output (MB)"],
        [
            [r["method"], r["heap_growth_mb"], r["seconds"], r["output_mb"]]
            for r in results["rows"]
        ],
    )
    return (
        f"Input: {results['n_samples']:,} x 784 float32 memmap "
        f"({results['input_mb']} MB), encoded to 128-d codes.\n\n{table}"
    )


def main():
    parser = _common.argument_parser(__doc__)
    parser.add_argument("--n-samples", type=int, default=200_000)
    args = parser.parse_args()

    info = _common.start()
    digits = load_mnist_sample().data
    write_memmap(args.n_samples, digits)
    dae = DenoisingAutoencoder(epochs=1, random_state=0).fit(digits[:500])
    MODEL.write_bytes(pickle.dumps(dae))

    try:
        rows = [measure_in_fresh_process(method) for method in METHODS]
    finally:
        DATA.unlink()

    results = {
        "n_samples": args.n_samples,
        "input_mb": round(args.n_samples * 784 * 4 / 2**20),
        "rows": rows,
    }
    markdown = markdown_report(results)
    print(markdown, flush=True)
    _common.write_results(args.output_dir, "memory", results, markdown, info)


if __name__ == "__main__":
    main()
