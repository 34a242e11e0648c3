"""Inference on photos of any size in bounded memory, for fully convolutional networks.

A network whose height and width are free is called on as many whole images
as fit :data:`TILE_SIZE` squared pixels at a time. A larger image is cut into
overlapping tiles of at most that size, each with a margin of the network's
receptive radius around the part kept: every output pixel kept then sees
exactly the input it would see in the whole image (zero padding included,
at the image's own borders), so the tiled output equals the untiled one up
to float32 rounding, while memory stays bounded by the tile size.
"""

import numpy as np

# Side of the largest square tile, margins included: about a megapixel, whose
# activations of 32 float32 channels take 128 MiB per layer.
TILE_SIZE = 1024


class TiledFunction:
    """Call an image network on bounded batches and tiles.

    Parameters
    ----------
    function : callable
        Maps a float32 ndarray of images ``(n, height, width, channels)`` to
        its outputs, as an ndarray.

    input_shape : tuple
        ``(None, None, channels)``: the network's input shape.

    radius : int
        Receptive radius of `function`, an image-to-image network whose
        output has the input's height and width.

    spatial_mean : bool, default=False
        Return the output averaged over height and width, one vector per
        image, as ``transform`` of the fully convolutional network does;
        large images then never hold their whole output map.
    """

    def __init__(self, function, input_shape, radius, spatial_mean=False):
        self._function = function
        self.input_shape = input_shape
        self.radius = radius
        self.spatial_mean = spatial_mean

    def __call__(self, images):
        images = np.asarray(images)
        n_images, height, width = images.shape[:3]
        max_pixels = TILE_SIZE * TILE_SIZE
        if height * width > max_pixels:
            return np.stack([self._tiled(image) for image in images])
        per_call = max(1, max_pixels // (height * width))
        outputs = [
            self._finished(self._function(images[start : start + per_call]))
            for start in range(0, n_images, per_call)
        ]
        return outputs[0] if len(outputs) == 1 else np.concatenate(outputs)

    def _finished(self, maps):
        return (
            maps.mean(axis=(1, 2), dtype=np.float64).astype(maps.dtype)
            if self.spatial_mean
            else maps
        )

    def _tiled(self, image):
        """The output for one image, computed tile by tile."""
        height, width = image.shape[:2]
        margin = self.radius
        # What each tile keeps: its side less a margin on both sides.
        step = max(TILE_SIZE - 2 * margin, 1)
        output = total = None
        for top in range(0, height, step):
            bottom = min(top + step, height)
            for left in range(0, width, step):
                right = min(left + step, width)
                row_start, col_start = max(top - margin, 0), max(left - margin, 0)
                tile = image[
                    row_start : min(bottom + margin, height),
                    col_start : min(right + margin, width),
                ]
                result = self._function(tile[np.newaxis])[0]
                kept = result[
                    top - row_start : bottom - row_start, left - col_start : right - col_start
                ]
                if self.spatial_mean:
                    tile_sum = kept.sum(axis=(0, 1), dtype=np.float64)
                    total = tile_sum if total is None else total + tile_sum
                    continue
                if output is None:
                    output = np.empty((height, width, *result.shape[2:]), dtype=result.dtype)
                output[top:bottom, left:right] = kept
        if self.spatial_mean:
            return (total / (height * width)).astype(result.dtype)
        return output
