"""Order of the examples in the gallery: from the tutorial to the variations."""

EXAMPLE_ORDER = [
    "plot_denoise_mnist.py",
    "plot_pca_vs_dae_denoising.py",
    "plot_denoise_photos.py",
    "plot_corruptions.py",
    "plot_grid_search_latent_dim.py",
    "plot_feature_union_pca.py",
    "plot_tabular_dimensionality_reduction.py",
    "plot_tabular_pipeline.py",
    "plot_anomaly_detection.py",
    "plot_deploying.py",
]


class ExampleOrder:
    """Sort key of sphinx-gallery's ``within_subsection_order``.

    Examples listed in ``EXAMPLE_ORDER`` come first, in that order; any
    other example follows, by file name.
    """

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in EXAMPLE_ORDER:
            return (0, EXAMPLE_ORDER.index(filename), filename)
        return (1, 0, filename)
