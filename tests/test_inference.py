"""One-sample inference leaves nothing behind: no new trace, no growing state.

A call that traces a function, or that leaves objects for the garbage
collector, stalls some later call of a service predicting one sample at a
time; counting objects catches both without timing anything.
"""

import gc

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder

# More than the calls that any threshold of "called often" would take.
N_CALLS = 40


@pytest.mark.parametrize("architecture", ["dense", "conv"])
@pytest.mark.parametrize("method", ["predict", "transform"])
def test_one_sample_calls_keep_no_objects_after_the_first(digits, architecture, method):
    dae = DenoisingAutoencoder(
        latent_dim=4, epochs=1, architecture=architecture, random_state=0
    ).fit(digits[:64])
    call = getattr(dae, method)
    expected = call(digits[:1])  # the first call may trace
    gc.collect()
    n_objects = len(gc.get_objects())
    for _ in range(N_CALLS):
        np.testing.assert_array_equal(call(digits[:1]), expected)
    unreachable = gc.collect()
    # A trace leaves thousands of objects; a call holds on to none, and
    # makes no reference cycles for the collector to find.
    assert len(gc.get_objects()) - n_objects < N_CALLS
    assert unreachable < N_CALLS
