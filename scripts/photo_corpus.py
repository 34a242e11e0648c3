"""The clean photographs the ready photo denoisers are trained on.

Rule, written before any training: every photograph in Debian 12's desktop
background packages that ship photographs, namely every JPEG of
mate-backgrounds's ``nature/`` folder, of lomiri-wallpapers-16.04 and of
lomiri-wallpapers-20.04, less the files that are drawings or renderings
rather than photographs (judged on a contact sheet of all of them, before any
training): ``umang``, ``Fossa`` and ``Infinite-Sea``. None of them is one of
the benchmarks' test photos (scikit-image's data) or scikit-learn's
``china.jpg`` and ``flower.jpg``. Each is read as RGB and scaled down with
Pillow's box filter so that its longer side is at most 1024 pixels (desktop
backgrounds are large and soft at full size; the test photos are about
512 pixels across), then turned into float in [0, 1]; grey photos come from
them by scikit-image's rgb2gray.

Licences, from each package's debian/copyright: mate-backgrounds's photos
GPL-2+; lomiri-wallpapers's CC-BY-4.0 or CC-BY-SA-4.0 (per file, with its
author in the file name). The packages are fetched with ``apt-get download``
(no root needed) into ``data/photo_corpus``, which git ignores.

Run on its own, it prints each photo's size and the corpus's megapixels.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np

PACKAGES = {
    "mate-backgrounds": "usr/share/backgrounds/mate/nature",
    "lomiri-wallpapers-16.04": "usr/share/backgrounds",
    "lomiri-wallpapers-20.04": "usr/share/backgrounds",
}
NOT_PHOTOGRAPHS = ("umang_by_Abhishek_Mudgal", "Fossa_by_Jasper_Roks", "Infinite-Sea_by_Aury88")
LONGER_SIDE = 1024
CORPUS_DIR = Path(__file__).resolve().parents[1] / "data" / "photo_corpus"


def photo_paths(directory=CORPUS_DIR):
    """The corpus's JPEG files, fetching and unpacking the packages if needed."""
    directory = Path(directory)
    paths = []
    for package, folder in PACKAGES.items():
        unpacked = directory / package
        if not unpacked.is_dir():
            directory.mkdir(parents=True, exist_ok=True)
            subprocess.run(["apt-get", "download", package], cwd=directory, check=True)
            (deb,) = directory.glob(f"{package}_*.deb")
            subprocess.run(["dpkg-deb", "-x", deb.name, package], cwd=directory, check=True)
            deb.unlink()
        found = sorted((unpacked / folder).glob("*.jpg"))
        paths += [path for path in found if path.stem not in NOT_PHOTOGRAPHS]
    return paths


def load_photo(path):
    """One photo as RGB float in [0, 1], its longer side at most LONGER_SIDE."""
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGB")
        scale = LONGER_SIDE / max(image.size)
        if scale < 1:
            size = tuple(round(side * scale) for side in image.size)
            image = image.resize(size, Image.Resampling.BOX)
        return np.asarray(image, dtype=np.float32) / 255


def load_corpus(grey=False, directory=CORPUS_DIR):
    """The corpus's photos: a list of (height, width, 3) or (height, width) arrays."""
    from skimage import color

    photos = [load_photo(path) for path in photo_paths(directory)]
    return [color.rgb2gray(photo).astype(np.float32) for photo in photos] if grey else photos


if __name__ == "__main__":
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else CORPUS_DIR)
    paths = photo_paths(directory)
    pixels = 0
    for path in paths:
        photo = load_photo(path)
        pixels += photo.shape[0] * photo.shape[1]
        print(f"{path.relative_to(directory).parts[0]:>24} {path.stem}: {photo.shape[:2]}")
    print(f"{len(paths)} photos, {pixels / 1e6:.1f} megapixels")
