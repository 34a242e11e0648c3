"""Importing skdenoise is instant; TensorFlow comes on first use, or says what to install."""

import subprocess
import sys


def _run(code):
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_import_and_pipelines_do_not_load_tensorflow():
    output = _run(
        "import sys\n"
        "from sklearn.base import clone\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "import skdenoise\n"
        "pipe = make_pipeline(StandardScaler(), skdenoise.DenoisingAutoencoder())\n"
        "clone(pipe).set_params(denoisingautoencoder__noise__noise_factor=0.3)\n"
        "repr(pipe); help(skdenoise.DenoisingAutoencoder)\n"
        "print('|', 'tensorflow' in sys.modules, 'keras' in sys.modules)\n"
        "skdenoise.DenoisingAutoencoder(latent_dim=2, epochs=1).fit([[0.0, 1.0]] * 8)\n"
        "print('|', 'tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    assert output.split("|")[-2:] == [" False False\n", " True True"]


def test_fit_without_tensorflow_says_what_to_install():
    # A fresh interpreter in which `import tensorflow` fails, as it does when
    # skdenoise was installed without one of its TensorFlow extras.
    output = _run(
        "import sys\n"
        "sys.modules['tensorflow'] = None\n"
        "import skdenoise\n"
        "from sklearn.pipeline import make_pipeline\n"
        "dae = skdenoise.DenoisingAutoencoder(epochs=1)\n"
        "make_pipeline(dae)\n"
        "try:\n"
        "    dae.fit([[0.0, 1.0]] * 8)\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, '|', error)\n"
        "else:\n"
        "    print('fitted')\n"
        "print(hasattr(dae, 'model_'))\n"
    )
    first, second = output.splitlines()[-2:]
    assert first.startswith("ImportError | skdenoise needs TensorFlow")
    assert 'pip install "skdenoise[tensorflow]"' in first
    assert 'pip install "skdenoise[tensorflow-cpu]"' in first
    assert second == "False"


def test_fit_and_load_on_another_keras_backend_say_how_to_set_it(tmp_path):
    output = _run(
        # Keras on another backend, without installing one.
        "import keras\n"
        "keras.backend.backend = lambda: 'torch'\n"
        "import skdenoise\n"
        "for attempt in [\n"
        f"    lambda: skdenoise.load({str(tmp_path / 'missing.skd')!r}),\n"
        "    lambda: skdenoise.DenoisingAutoencoder(epochs=1).fit([[0.0, 1.0]] * 8),\n"
        "]:\n"
        "    try:\n"
        "        attempt()\n"
        "    except ImportError as error:\n"
        "        print('|', error)\n"
    )
    assert output.count("KERAS_BACKEND=tensorflow") == 2
