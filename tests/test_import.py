"""Importing skdenoise without TensorFlow says what to install."""

import subprocess
import sys


def test_import_without_tensorflow_says_what_to_install():
    # A fresh interpreter in which `import tensorflow` fails, as it does when
    # skdenoise was installed without one of its TensorFlow extras.
    code = (
        "import sys\n"
        "sys.modules['tensorflow'] = None\n"
        "try:\n"
        "    import skdenoise\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, '|', error)\n"
        "else:\n"
        "    print('imported')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout.strip()
    assert output.startswith("ImportError | skdenoise needs TensorFlow")
    assert 'pip install "skdenoise[tensorflow]"' in output
    assert 'pip install "skdenoise[tensorflow-cpu]"' in output
