#!/usr/bin/env bash
# Set up and build the HTML documentation into docs/_build/html, with
# warnings as errors. Extra arguments go to sphinx-build, for example
# `-D plot_gallery=0` to build the gallery pages without running the examples.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
export MPLBACKEND=Agg
sphinx-build -W --keep-going -b html "$@" docs docs/_build/html
