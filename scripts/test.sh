#!/usr/bin/env bash
# Set up and run the test suite, doctests included; extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
python -m pytest "$@"
