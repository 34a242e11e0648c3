"""scikit-learn's own estimator checks, on small settings."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skdenoise import (
    BlindSpotNoiser,
    DenoisingAutoencoder,
    GaussianNoiser,
    MaskingNoiser,
    SaltPepperNoiser,
    SwapNoiser,
)

NOISE_IS_DRAWN_PER_CALL = (
    "transform adds noise drawn for the whole call, so a sample's noise "
    "depends on where it stands in X; that is what a noise source is."
)

PREDICT_IS_DENOISED_DATA = (
    "the check fits on sparse data, which is supported (tests/test_sparse.py), "
    "and then expects predict to give one value per sample, where it gives the "
    "denoised samples."
)

WEIGHTS_ARE_NOT_REPEATS = (
    "a weight of k counts a sample k times in the loss, but a training set with "
    "the sample repeated k times is another set: other mini-batches, other noise "
    "draws and another validation split, so stochastic training gives another "
    "model (as with MLPRegressor's default solver). What the weights do is "
    "tested in tests/test_sample_weight.py."
)

EXPECTED_FAILED_CHECKS = {
    "GaussianNoiser": {
        "check_methods_sample_order_invariance": NOISE_IS_DRAWN_PER_CALL,
        "check_methods_subset_invariance": NOISE_IS_DRAWN_PER_CALL,
    },
    "MaskingNoiser": {
        "check_methods_sample_order_invariance": NOISE_IS_DRAWN_PER_CALL,
        "check_methods_subset_invariance": NOISE_IS_DRAWN_PER_CALL,
    },
    "SaltPepperNoiser": {
        "check_methods_sample_order_invariance": NOISE_IS_DRAWN_PER_CALL,
        "check_methods_subset_invariance": NOISE_IS_DRAWN_PER_CALL
        + " Its automatic low and high are also those of the whole call.",
    },
    "SwapNoiser": {
        "check_methods_sample_order_invariance": NOISE_IS_DRAWN_PER_CALL,
        "check_methods_subset_invariance": NOISE_IS_DRAWN_PER_CALL
        + " Its replacements also come from the other rows of the call, so "
        "one row alone cannot be corrupted.",
    },
    "BlindSpotNoiser": {
        "check_methods_sample_order_invariance": NOISE_IS_DRAWN_PER_CALL,
        "check_methods_subset_invariance": NOISE_IS_DRAWN_PER_CALL
        + " Its replacements also come from the other rows of the call.",
    },
    "DenoisingAutoencoder": {
        "check_sample_weight_equivalence_on_dense_data": WEIGHTS_ARE_NOT_REPEATS,
        "check_sample_weight_equivalence_on_sparse_data": WEIGHTS_ARE_NOT_REPEATS,
        "check_estimator_sparse_array": PREDICT_IS_DENOISED_DATA,
        "check_estimator_sparse_matrix": PREDICT_IS_DENOISED_DATA,
        "check_methods_sample_order_invariance": (
            "TensorFlow's float32 kernels on some CPUs (AMD EPYC here) compute "
            "a row differently at the end of a block of the matrix product than "
            "inside it, so outputs move by about 1e-8 when rows are reordered, "
            "above the check's absolute tolerance of 1e-9."
        ),
        "check_parameters_default_constructible": (
            "the default noise is a GaussianNoiser instance, so that "
            "noise__noise_factor is a nested parameter a grid search can tune; "
            "set_params changes a copy of it, never the shared default."
        ),
    },
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(
    [
        GaussianNoiser(noise_factor=0.3, clip=None, random_state=0),
        GaussianNoiser(random_state=0),
        MaskingNoiser(fraction=0.25, random_state=0),
        SaltPepperNoiser(fraction=0.1, random_state=0),
        SwapNoiser(fraction=0.15, random_state=0),
        BlindSpotNoiser(fraction=0.2, random_state=0),
        # The defaults, with a small code and few epochs for speed: the
        # checks' data is not in [0, 1], which loss="auto" and the noise's
        # clip="auto" handle.
        DenoisingAutoencoder(latent_dim=2, epochs=1, random_state=0),
        # The tabular recipe: swap noise, every hidden layer as features.
        # Without validation: the checks fit 15 rows, and a validation set
        # of one row cannot be swap-corrupted on its own.
        DenoisingAutoencoder(
            latent_dim=2,
            noise=SwapNoiser(),
            hidden_layer_sizes=(4,),
            features="all_hidden",
            validation_fraction=None,
            epochs=1,
            random_state=0,
        ),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
