# Sourced by the other scripts: make sure .venv holds skdenoise and what its
# tests, demo and docs need, then put it first on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
stamp="$venv/.skdenoise-installed"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -e "$root[tensorflow-cpu,onnx,test,docs,dev]"
    touch "$stamp"
fi
export PATH="$venv/bin:$PATH"
# TensorFlow's C++ start-up notices (oneDNN, CPU features) are not test output.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
cd "$root"
