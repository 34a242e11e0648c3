#!/usr/bin/env bash
# Set up and run the offline MNIST denoising demo; extra arguments go to it.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
python -m skdenoise.demo "$@"
