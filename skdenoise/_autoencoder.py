"""The :class:`DenoisingAutoencoder` estimator."""

import contextlib
import functools
import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    _check_sample_weight,
    check_array,
    check_is_fitted,
)

from ._architectures import (
    ARCHITECTURES,
    AUTOENCODER_NAME,
    DECODER_NAME,
    ENCODER_NAME,
    architecture_spec,
    build_compiled_autoencoder,
    resolve_architecture,
)
from ._backend import require_tensorflow
from ._batch_sources import GivenPairs, SampleArrays, batch_source
from ._estimator_state import load_estimator, picklable_state, save_estimator, unpickled_state
from ._exceptions import readable_errors
from ._features import FEATURES, check_features, check_hidden_layer_sizes, transform_output
from ._fit_data import validate_training_data
from ._history import append_history
from ._input import (
    reject_time_dtypes,
    validate_inference_samples,
    validate_target,
)
from ._losses import LOSS_NAMES, sample_losses
from ._noise import GaussianNoiser, set_params_copying_noisers
from ._photo_lists import as_list, for_each_image, mean_over_values, stacked
from .model_selection import fit_seeds

# Parameters holding a noise transformer, whose nested parameters are set on
# a copy (see DenoisingAutoencoder.set_params).
_NOISE_PARAMS = ("noise", "score_noise")


class DenoisingAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Denoising autoencoder: a Keras model as a scikit-learn transformer.

    The model learns to reconstruct clean data from a corrupted copy of it.
    ``fit(X)`` corrupts `X` with `noise`, drawn afresh every epoch, and
    learns to undo it; ``fit(X_noisy, X_clean)`` learns from explicit pairs.
    :meth:`transform` returns the latent codes (a non-linear counterpart of
    :class:`~sklearn.decomposition.PCA`), :meth:`inverse_transform` decodes
    them, and :meth:`predict` returns denoised data in the shape of its input.

    Images, given as ``(n_samples, height, width[, channels])`` arrays or as
    flat rows with `image_shape`, get a small convolutional network; other
    data gets a fully connected one. Any numeric data works with the
    defaults: pixels in [0, 1] are learnt with binary cross-entropy and a
    sigmoid output, anything else (standardised features, for example) with
    the squared error and a linear output; see `loss`.

    Parameters
    ----------
    latent_dim : int, default=128
        Size of the code returned by :meth:`transform`.

    noise : transformer or None, default=GaussianNoiser(noise_factor=0.5)
        Corruption of the inputs when ``fit`` gets no `y`, for example
        :class:`GaussianNoiser`. A copy is used, with its ``random_state``
        (where it has one) set from the autoencoder's `random_state` for
        every epoch, so the noise changes between epochs yet the fit is
        reproducible. ``None`` makes a plain autoencoder. Its parameters are
        nested ones, e.g. ``noise__noise_factor`` in a grid search. Setting
        one with :meth:`set_params` gives the autoencoder a modified copy of
        the noiser, so the object passed in, or the default one, never
        changes behind other estimators holding it.

    score_noise : transformer or None, default=None
        Corruption that :meth:`score` applies to clean data; None uses
        `noise`. Set it to compare models trained on different noise on the
        same task, as in a grid search over ``noise__noise_factor``: with the
        default, each candidate would be scored on its own noise, and the
        weakest noise would win.

    architecture : {"auto", "conv", "fully_conv", "dense"}, default="auto"
        ``"conv"``: convolutional encoder and decoder for images.
        ``"fully_conv"``: a residual network of convolutions only, for
        photos: once fitted, it takes images of any height and width (large
        ones in tiles), and :meth:`transform` averages its `latent_dim`
        channels over each image.
        ``"dense"``: fully connected layers of `hidden_layer_sizes`.
        ``"auto"``: ``"conv"`` for images (image arrays, `image_shape`
        given, or flat rows of a square number of at least 64 features),
        ``"dense"`` otherwise.

    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of flat rows.
        ``None`` takes the shape of image arrays or, for flat rows, see
        `architecture`.

    patch_size : int, tuple of (int, int) or None, default=None
        Train on square or ``(height, width)`` patches cut at random from
        the images, new ones every epoch; ``fit`` then also takes a list of
        images of different sizes. The network, `image_shape_` and
        `n_features_in_` are those of one patch. See the user guide.

    hidden_layer_sizes : tuple of int, default=(256,)
        Widths of the hidden layers of the dense encoder, from the input
        inwards, as positive ints; the decoder mirrors them. Unused by the
        convolutional architecture.

    features : {"latent", "all_hidden"}, default="latent"
        What :meth:`transform` returns. ``"latent"``: the codes, of
        `latent_dim` values. ``"all_hidden"``: the activations of every
        hidden layer of the dense network concatenated, from the input
        towards the output (the encoder's hidden layers, the code, the
        decoder's hidden layers), the "deep stack" features of tabular
        denoising autoencoders; :meth:`inverse_transform` does not apply to
        them, and the convolutional architecture does not offer them.

    epochs : int, default=35
        Passes over the training data in one call to :meth:`fit`.

    batch_size : int, default=32
        Samples per gradient step.

    inference_batch_size : int, default=1024
        Samples per step of :meth:`transform`, :meth:`predict`,
        :meth:`inverse_transform`, :meth:`score` and of validation. It
        bounds the memory these take on large inputs.

    learning_rate : float, default=1e-3
        Learning rate of the Adam optimizer: the rate of every step, or the
        peak of `learning_rate_schedule`.

    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        How the learning rate changes within one call of :meth:`fit`.
        ``"constant"`` keeps `learning_rate`. ``"cosine"`` starts at
        `learning_rate` and falls along half a cosine to zero at the last
        step of the fit's `epochs` (a warm-started fit runs it again), for
        short fits with a larger `learning_rate`; see the user guide.
        :meth:`partial_fit` always trains at the constant `learning_rate`.

    loss : str, default="auto"
        Reconstruction loss: ``"auto"``, ``"binary_crossentropy"``,
        ``"mean_squared_error"`` (or ``"mse"``), or ``"mean_absolute_error"``
        (or ``"mae"``). ``"auto"`` is ``"binary_crossentropy"`` when the
        clean targets of the first fit (`X`, or `y` with explicit pairs) lie
        in [0, 1], as scaled pixels do, and ``"mean_squared_error"``
        otherwise; `loss_` tells which. Binary cross-entropy needs targets
        in [0, 1], and fitting it on other data is an error; ``"fully_conv"``
        refuses it, and resolves ``"auto"`` to the squared error.

    output_activation : {"auto", "sigmoid", "linear", "relu"}, default="auto"
        Activation of the last layer. ``"auto"`` is ``"sigmoid"`` for binary
        cross-entropy and ``"linear"`` for the other losses (as `loss_`
        resolves them).

    validation_fraction : float or None, default=0.1
        Fraction of the samples held out, at random, to report
        ``val_loss`` in `history_` and for `early_stopping`. The held-out
        inputs are corrupted once, so their loss is comparable across epochs.
        ``None`` or 0 trains on all samples.

    early_stopping : bool, default=False
        Stop when the validation loss (the training loss without validation)
        has not improved by `tol` for `n_iter_no_change` epochs, and keep the
        best weights. It applies to :meth:`fit` only: :meth:`partial_fit`
        trains one epoch per call, as in scikit-learn's MLP estimators.

    n_iter_no_change : int, default=10
        Patience of `early_stopping`.

    tol : float, default=1e-4
        Smallest improvement that counts for `early_stopping`.

    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra Keras callbacks. Copies are used, so the parameter itself is
        never modified.

    warm_start : bool, default=False
        Continue training the fitted model on the next call to :meth:`fit`
        instead of starting anew.

    distribution_strategy : {"mirrored", "multi_worker_mirrored"} or None, default=None
        Data-parallel training with :mod:`tf.distribute`. ``"mirrored"``:
        synchronous training on all GPUs of this process (on all logical CPU
        devices when there is no GPU) with ``tf.distribute.MirroredStrategy``.
        ``"multi_worker_mirrored"``: the same across machines with
        ``tf.distribute.MultiWorkerMirroredStrategy``, configured by the
        ``TF_CONFIG`` environment variable of each worker. `batch_size` is the
        global batch, split between replicas. ``None`` trains on the default
        device.

    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the validation split, the shuffling
        and the noise. An int makes fits reproducible. ``None`` draws fresh
        seeds from the operating system and leaves NumPy's global state
        alone.

    verbose : int, default=0
        0 is silent, 1 shows a progress bar per epoch, 2 one line per epoch.

    Attributes
    ----------
    model_ : keras.Model
        The trained autoencoder; its layers ``"encoder"`` and ``"decoder"``
        are `encoder_` and `decoder_`.

    encoder_ : keras.Model
        Maps samples to codes.

    decoder_ : keras.Model
        Maps codes to reconstructions.

    history_ : dict of str to list of float
        Per-epoch ``"loss"`` and, with validation, ``"val_loss"``, over all
        fits of a warm-started estimator. Every list has `n_iter_` values;
        epochs without validation, such as those of :meth:`partial_fit`
        after a :meth:`fit` that had it, have NaN.

    n_iter_ : int
        Number of epochs trained, over all fits of a warm-started estimator.

    architecture_ : {"conv", "fully_conv", "dense"}
        Architecture used.

    loss_ : {"binary_crossentropy", "mean_squared_error", "mean_absolute_error"}
        Loss the model is trained with, `loss` resolved; :meth:`score` and
        :meth:`score_samples` use it too.

    image_shape_ : tuple of (int, int, int) or None
        ``(height, width, channels)`` of the images (of one patch with
        `patch_size`), None for tabular data.

    n_features_in_ : int
        Number of values per sample seen during :term:`fit`
        (``height * width * channels`` for images).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    GaussianNoiser : The default corruption.
    MaskingNoiser : Corruption forcing a random fraction of each sample to 0.
    SaltPepperNoiser : Corruption forcing a random fraction to extremes.
    sklearn.decomposition.PCA : Linear dimensionality reduction.
    sklearn.neural_network.MLPRegressor : Fully connected network trained
        with the same kind of stopping rules.

    Notes
    -----
    The default convolutional model follows the Keras denoising tutorial:
    Conv 16 → BatchNorm → MaxPool, Conv 32 → BatchNorm → MaxPool, Conv 32,
    Dense code; mirrored with Conv2DTranspose, BatchNorm and upsampling, and
    a sigmoid output for images in [0, 1]. For 28×28 grey images and
    ``latent_dim=128`` it has 440,865 parameters.

    Batch normalisation uses, at inference, statistics that are recomputed
    over up to 1,024 training inputs under the final weights (after every
    epoch, before its validation, when there is one), rather than Keras's
    moving averages, which lag behind the weights after short fits.

    A failed or interrupted :meth:`fit` (including
    :class:`TrainingDivergedError` and ``KeyboardInterrupt``) leaves the
    estimator as it was before the call: unfitted, or with its previous
    model.

    Training does not go through ``keras.Model.fit``, which traces its
    steps anew for every model: the training, validation and inference
    steps are traced once per network structure and process, and shared by
    every later fit of that structure (each candidate and fold of a grid
    search), with Keras's callbacks called as ``fit`` calls them. Models on
    a `distribution_strategy` train through ``keras.Model.fit``, as does
    every model if Keras's Adam no longer keeps its state where the shared
    steps read it.

    Prediction does not go through ``keras.Model.predict``: a compiled
    TensorFlow function is called on batches of `inference_batch_size`,
    which keeps single-sample latency around a millisecond.

    References
    ----------
    .. [1] P. Vincent, H. Larochelle, Y. Bengio and P.-A. Manzagol,
       "Extracting and composing robust features with denoising
       autoencoders", ICML 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import DenoisingAutoencoder
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(size=(200, 20))
    >>> dae = DenoisingAutoencoder(latent_dim=4, epochs=2, random_state=0)
    >>> dae.fit(X)
    DenoisingAutoencoder(epochs=2, latent_dim=4, random_state=0)
    >>> dae.transform(X).shape
    (200, 4)
    >>> dae.predict(X[:3]).shape
    (3, 20)
    >>> dae.architecture_, dae.loss_
    ('dense', 'binary_crossentropy')

    Standardised features are not in [0, 1], so the default ``loss="auto"``
    trains them with the squared error:

    >>> from sklearn.preprocessing import StandardScaler
    >>> X_scaled = StandardScaler().fit_transform(X)
    >>> DenoisingAutoencoder(latent_dim=4, epochs=2).fit(X_scaled).loss_
    'mean_squared_error'
    """

    _parameter_constraints: dict = {
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "noise": [HasMethods(["fit", "transform"]), None],
        "score_noise": [HasMethods(["fit", "transform"]), None],
        "architecture": [StrOptions({"auto", *ARCHITECTURES})],
        "image_shape": [tuple, list, None],
        "patch_size": [Interval(Integral, 1, None, closed="left"), tuple, list, None],
        "hidden_layer_sizes": [tuple, list],
        "features": [StrOptions(set(FEATURES))],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "inference_batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "learning_rate_schedule": [StrOptions({"constant", "cosine"})],
        "loss": [StrOptions({"auto", *LOSS_NAMES})],
        "output_activation": [StrOptions({"auto", "sigmoid", "linear", "relu"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="left"), None],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "callbacks": [list, None],
        "warm_start": ["boolean"],
        "distribution_strategy": [
            StrOptions({"mirrored", "multi_worker_mirrored"}),
            None,
        ],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        latent_dim=128,
        *,
        # An instance, so that noise__noise_factor is a nested parameter;
        # set_params copies it before changing it.
        noise=GaussianNoiser(noise_factor=0.5),  # noqa: B008
        score_noise=None,
        architecture="auto",
        image_shape=None,
        patch_size=None,
        hidden_layer_sizes=(256,),
        features="latent",
        epochs=35,
        batch_size=32,
        inference_batch_size=1024,
        learning_rate=1e-3,
        learning_rate_schedule="constant",
        loss="auto",
        output_activation="auto",
        validation_fraction=0.1,
        early_stopping=False,
        n_iter_no_change=10,
        tol=1e-4,
        callbacks=None,
        warm_start=False,
        distribution_strategy=None,
        random_state=None,
        verbose=0,
    ):
        self.latent_dim = latent_dim
        self.noise = noise
        self.score_noise = score_noise
        self.architecture = architecture
        self.image_shape = image_shape
        self.patch_size = patch_size
        self.hidden_layer_sizes = hidden_layer_sizes
        self.features = features
        self.epochs = epochs
        self.batch_size = batch_size
        self.inference_batch_size = inference_batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.loss = loss
        self.output_activation = output_activation
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.distribution_strategy = distribution_strategy
        self.random_state = random_state
        self.verbose = verbose

    def set_params(self, **params):
        """Set the parameters of this estimator.

        Works like :meth:`sklearn.base.BaseEstimator.set_params`, except that
        a nested parameter of `noise` or `score_noise`, such as
        ``noise__noise_factor``, is set on a copy of the noiser, which then
        replaces it: an object passed to several estimators, or the default
        noiser, is never changed through one of them.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : DenoisingAutoencoder
            Estimator instance.

        Examples
        --------
        >>> from skdenoise import DenoisingAutoencoder
        >>> tuned, other = DenoisingAutoencoder(), DenoisingAutoencoder()
        >>> tuned.set_params(noise__noise_factor=0.1).noise
        GaussianNoiser(noise_factor=0.1)
        >>> other.noise
        GaussianNoiser()
        """
        return set_params_copying_noisers(self, params, _NOISE_PARAMS, super().set_params)

    # ------------------------------------------------------------------ fit

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None):
        """Train the autoencoder.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            Clean data when `y` is None: the model learns to reconstruct it
            from its corruption by `noise`. Otherwise the (noisy) inputs.
            With `patch_size`, also a list of images of any sizes.

        y : array-like of the same shape as `X`, or None, default=None
            Clean targets for explicit ``fit(X_noisy, X_clean)`` pairs. A
            one-dimensional `y`, such as the class labels that a
            :class:`~sklearn.pipeline.Pipeline` passes to every step, is
            ignored.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample (each image, with `patch_size`) in the
            training and validation losses, non-negative; None weighs all
            alike, as all ones do.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight,
            epochs=self.epochs,
            continue_training=self.warm_start,
            schedule=self.learning_rate_schedule,
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Train for one epoch on a chunk of data, keeping the model.

        Chunks of a data set too large for memory can be streamed through
        this method, for example by :class:`dask_ml.wrappers.Incremental`.
        The first call builds the model; later ones continue training it,
        optimizer state included, with new noise. No validation split is
        made.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            A chunk of clean data, or of noisy inputs when `y` is given.

        y : array-like of the same shape as `X`, or None, default=None
            Clean targets for the chunk; see :meth:`fit`.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample of the chunk; see :meth:`fit`.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight,
            epochs=1,
            continue_training=True,
            validate=False,
            schedule="constant",
        )

    def _fit(self, X, y, sample_weight, *, epochs, continue_training, schedule, validate=True):
        """Validate, build (on a first call), train, record."""
        require_tensorflow()
        # Imported here: TensorFlow loads on the first fit, not with skdenoise.
        from ._training import TrainingSettings, train

        with _restored_on_failure(self), readable_errors():
            first_call = not (continue_training and hasattr(self, "model_"))
            fit_data = validate_training_data(
                self, X, y, sample_weight, fitted=None if first_call else self._fitted_data()
            )
            if first_call:
                self._initialize(fit_data)
            model = self._build_model() if first_call else self.model_
            history = train(
                model,
                fit_data.data,
                fit_data.source,
                TrainingSettings.from_params(
                    self.get_params(deep=False),
                    seeds=self._seeds,
                    sample_shape=self._sample_shape(),
                ),
                epochs=epochs,
                schedule=schedule,
                validate=validate,
                first_epoch=self.n_iter_,
            )
            self.model_ = model
            self._inference_functions = {}
            self.history_ = append_history(self.history_, self.n_iter_, history)
            self.n_iter_ += len(history["loss"])
        return self

    def _fitted_data(self):
        """What a continued fit's data must agree with: the image shape and loss."""
        return self.image_shape_, self.loss_

    def _initialize(self, fit_data):
        """Resolve the data-dependent settings of a fresh fit."""
        check_hidden_layer_sizes(self.hidden_layer_sizes)
        if fit_data.n_features_in is not None:
            self.n_features_in_ = fit_data.n_features_in
            self.__dict__.pop("feature_names_in_", None)
        self.image_shape_ = fit_data.image_shape
        self.architecture_ = resolve_architecture(self.architecture, self.image_shape_)
        check_features(self.features, self.architecture_)
        self.history_ = {}
        self.n_iter_ = 0
        self._seeds = fit_seeds(self.random_state)
        self.loss_ = fit_data.loss

    def _build_model(self):
        return build_compiled_autoencoder(
            self.architecture_,
            self._sample_shape(),
            self.latent_dim,
            hidden_layer_sizes=check_hidden_layer_sizes(self.hidden_layer_sizes),
            output_activation=self.output_activation,
            loss=self.loss_,
            learning_rate=self.learning_rate,
            seed=self._seeds["init"],
            distribution_strategy=self.distribution_strategy,
        )

    # ------------------------------------------------------------ inference

    @property
    def encoder_(self):
        """Keras model mapping samples to codes."""
        return self.model_.get_layer(ENCODER_NAME)

    @property
    def decoder_(self):
        """Keras model mapping codes to reconstructions."""
        return self.model_.get_layer(DECODER_NAME)

    @for_each_image(stacked)
    def transform(self, X):
        """Encode samples into latent codes.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels]), or list of images
            Samples, flat or as images like in :meth:`fit`. See
            :meth:`predict` for a list of images and a 2-D photo.

        Returns
        -------
        codes : ndarray of float32 of shape (n_samples, n_features_out)
            Latent codes (one row per image of a list), or with
            ``features="all_hidden"`` the activations of every hidden layer;
            see :meth:`get_feature_names_out`.
        """
        X = self._validate_for_inference(X)
        return self._run_batched(transform_output(self), X)

    @property
    def _n_features_out(self):
        # Derived on demand, never stored: `features` may change after fit.
        return transform_output(self).width

    def get_feature_names_out(self, input_features=None):
        """Names of the features :meth:`transform` returns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored; the output features are not the input ones.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``denoisingautoencoder0``, ``denoisingautoencoder1``, ... for
            the codes; with ``features="all_hidden"``,
            ``denoisingautoencoder_hidden{layer}_{unit}``, layers counted
            from 0 at the input side (the code is layer
            ``len(hidden_layer_sizes)``).

        Examples
        --------
        >>> import numpy as np
        >>> from skdenoise import DenoisingAutoencoder
        >>> X = np.random.RandomState(0).normal(size=(50, 4))
        >>> dae = DenoisingAutoencoder(latent_dim=2, hidden_layer_sizes=(3,),
        ...                            features="all_hidden", epochs=1,
        ...                            random_state=0).fit(X)
        >>> for name in dae.get_feature_names_out()[[0, 3, 5]]:
        ...     print(name)
        denoisingautoencoder_hidden0_0
        denoisingautoencoder_hidden1_0
        denoisingautoencoder_hidden2_0
        >>> dae.transform(X).shape
        (50, 8)
        """
        check_is_fitted(self)
        _check_feature_names_in(self, input_features, generate_names=False)
        return transform_output(self).feature_names(type(self).__name__.lower())

    def inverse_transform(self, X):
        """Decode latent codes back into data space.

        Parameters
        ----------
        X : array-like of shape (n_samples, latent_dim)
            Latent codes, as returned by :meth:`transform`.

        Returns
        -------
        X_original : ndarray of float32 of shape (n_samples, n_features)
            Reconstructions as flat rows; reshape them with `image_shape_`
            for images.
        """
        check_is_fitted(self)
        output = transform_output(self)
        output.check_decodable()
        reject_time_dtypes(X)
        codes = check_array(X, dtype=np.float32, input_name="X")
        if codes.shape[1] != output.width:
            raise ValueError(
                f"X has {codes.shape[1]} features, but inverse_transform of "
                f"{type(self).__name__} is expecting {output.width} "
                "(latent_dim) features as input."
            )
        decoded = self._run_batched(DECODER_NAME, codes)
        return decoded.reshape(decoded.shape[0], -1)

    @for_each_image(as_list)
    def predict(self, X):
        """Denoise samples.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels]), or list of images
            Noisy samples, flat or as images like in :meth:`fit`. A network
            of any image size also takes a list of images of different
            sizes and, fitted with `patch_size`, reads a 2-D array as one
            grey photo.

        Returns
        -------
        X_denoised : ndarray of float32, or list of ndarray of float32
            Reconstructions, in the shape of `X` (of each image of a list).
        """
        original_shape = np.shape(X)
        X = self._validate_for_inference(X)
        return self._run_batched(AUTOENCODER_NAME, X).reshape(original_shape)

    @for_each_image(mean_over_values)
    def score(self, X, y=None, sample_weight=None):
        """Return the negative reconstruction loss of denoising `X`.

        Greater is better, so model selection such as
        :class:`~sklearn.model_selection.GridSearchCV` needs no scorer.
        Without `y`, `X` is taken as clean, corrupted by `score_noise` (or
        `noise` when it is None) with a seed fixed at fit time (the same
        corruption for every model of a search with the same
        `random_state`), and denoised. With `y`, `X` is the
        noisy input and `y` the clean target.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels]), or list of images
            Clean samples, or noisy ones when `y` is given; see :meth:`predict`.

        y : array-like of the same shape as `X`, or None, default=None
            Clean targets. A one-dimensional `y` (class labels) is ignored.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the mean.

        Returns
        -------
        score : float
            Minus the mean `loss_` per value (over all images of a list), a
            weighted mean over samples with `sample_weight`.

        See Also
        --------
        score_samples : Minus the loss of every sample, reconstructed
            without corruption.
        """
        X = self._validate_for_inference(X)
        y = validate_target(y, X)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        noise = self.noise if self.score_noise is None else self.score_noise
        losses = self._sample_losses(X, y, batch_source(noise, y))
        return -float(np.average(losses, weights=sample_weight) / math.prod(X.shape[1:]))

    @for_each_image(stacked)
    def score_samples(self, X):
        """Return minus the reconstruction loss of every sample.

        Greater means more normal. Each sample of `X` is reconstructed as
        given, without corruption, and its score is minus the mean `loss_`
        over its values. Samples unlike the training data reconstruct
        poorly, so low scores flag outliers and novelties, as
        :meth:`sklearn.ensemble.IsolationForest.score_samples` does.

        Unlike :meth:`score`, nothing is corrupted: ``score_samples(X).mean()``
        equals ``score(X, X)``, while ``score(X)`` measures the denoising of
        a corrupted `X`.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels]), or list of images
            Samples, flat or as images like in :meth:`fit`; see :meth:`predict`.

        Returns
        -------
        scores : ndarray of float64 of shape (n_samples,)
            Minus the mean reconstruction loss of each sample.

        See Also
        --------
        score : Minus the loss of denoising, averaged over all values.

        Examples
        --------
        >>> import numpy as np
        >>> from skdenoise import DenoisingAutoencoder
        >>> rng = np.random.RandomState(0)
        >>> X = rng.uniform(size=(200, 8)) * [1, 1, 1, 1, 0, 0, 0, 0]
        >>> dae = DenoisingAutoencoder(latent_dim=4, epochs=20,
        ...                            random_state=0).fit(X)
        >>> odd = rng.uniform(size=(1, 8))
        >>> scores = dae.score_samples(np.vstack([X[:1], odd]))
        >>> scores.shape
        (2,)
        >>> bool(scores[0] > scores[1])
        True
        """
        X = self._validate_for_inference(X)
        return -self._sample_losses(X, X, GivenPairs()) / math.prod(X.shape[1:])

    def _sample_losses(self, X, y, source):
        """Sum of the `loss_` of every sample's reconstruction, in batches."""
        return sample_losses(
            functools.partial(self._run_batched, AUTOENCODER_NAME),
            SampleArrays(X, y),
            source,
            self.loss_,
            batch_size=self.inference_batch_size,
            seed=self._seeds["score"],
        )

    def _validate_for_inference(self, X):
        """`X` validated as float32 rows (dense or sparse) or images of any size."""
        check_is_fitted(self)
        return validate_inference_samples(self, X)

    def _sample_shape(self):
        """Shape of one training sample: an image (or patch), or a row."""
        return architecture_spec(self.architecture_).sample_shape(
            self.image_shape_, self.n_features_in_
        )

    def _run_batched(self, part, X):
        """Apply one of the Keras models to `X`, rows or images, in bounded batches."""
        from ._inference import run_batched

        function, input_shape = self._inference_function(part)
        return run_batched(function, input_shape, X, self.inference_batch_size)

    def _inference_function(self, part):
        """A function of a float32 batch, and the shape of one sample it takes."""
        # Model.predict costs tens of milliseconds per call in set-up alone.
        # What transform returns is cached under its features' name.
        key = part if isinstance(part, str) else ("features", part.features)
        function = self._inference_functions.get(key)
        if function is None:
            from ._architectures import network_for
            from ._inference import inference_function

            network = network_for(self.model_, part)
            function = self._inference_functions[key] = inference_function(
                network, spatial_mean=getattr(part, "spatial_mean", False)
            )
        return function, function.input_shape

    # ------------------------------------------------------------ persistence

    def save(self, path):
        """Save the fitted estimator to one file, in a format safe to load.

        The file is a zip of the Keras model in its native format and a JSON
        document of the parameters and fitted attributes; see
        :func:`skdenoise.load`. Unlike pickle or joblib, loading it never
        runs code from the file. Keras callbacks are not saved, and the
        noise must be one of skdenoise's noisers, such as
        :class:`GaussianNoiser`.

        Parameters
        ----------
        path : str, path-like or file object
            Where to write: a file in an existing folder, replaced only once
            the new one is complete, or a binary file object open for
            writing. The output configuration of :meth:`set_output` is saved
            too.

        See Also
        --------
        skdenoise.load : Load the file.

        Examples
        --------
        >>> import os, tempfile
        >>> import numpy as np
        >>> import skdenoise
        >>> X = np.random.RandomState(0).uniform(size=(50, 6))
        >>> dae = skdenoise.DenoisingAutoencoder(latent_dim=2, epochs=1,
        ...                                      random_state=0).fit(X)
        >>> path = os.path.join(tempfile.mkdtemp(), "model.skd")
        >>> dae.save(path)
        >>> skdenoise.load(path).transform(X[:2]).shape
        (2, 2)
        """
        save_estimator(self, path)

    # -------------------------------------------------------------- plumbing

    def __getstate__(self):
        return picklable_state(super().__getstate__())

    def __setstate__(self, state):
        super().__setstate__(unpickled_state(state, type(self).__name__))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        tags.target_tags.required = False
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def load(path):
    """Load an estimator saved with :meth:`DenoisingAutoencoder.save`.

    Only data is read: the file cannot run code, unlike a pickle. Files that
    name classes or functions skdenoise does not build (``Lambda`` layers,
    custom objects) are refused.

    Parameters
    ----------
    path : str, path-like or file object
        File written by :meth:`DenoisingAutoencoder.save`, or a binary file
        object open for reading it.

    Returns
    -------
    estimator : DenoisingAutoencoder
        The fitted estimator, giving the same outputs as the one saved.

    Raises
    ------
    FileNotFoundError
        If `path` does not exist.
    ValueError
        If the file is not a complete skdenoise estimator file, or names
        classes or functions that are not allowed.

    See Also
    --------
    DenoisingAutoencoder.save : Write the file.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> import skdenoise
    >>> X = np.random.RandomState(0).uniform(size=(50, 6))
    >>> dae = skdenoise.DenoisingAutoencoder(latent_dim=2, epochs=1,
    ...                                      random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "dae.skd")
    >>> dae.save(path)
    >>> loaded = skdenoise.load(path)
    >>> bool(np.array_equal(loaded.transform(X), dae.transform(X)))
    True
    """
    return load_estimator(path, DenoisingAutoencoder)


@contextlib.contextmanager
def _restored_on_failure(estimator):
    """Put back the estimator as it was if the block fails or is interrupted.

    Its fitted attributes, model weights and optimizer state.
    """
    state = estimator.__dict__.copy()
    model = getattr(estimator, "model_", None)
    weights = None if model is None else _snapshot(model)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(state)
        if weights is not None:
            _restore(model, weights)
        raise


def _snapshot(model):
    optimizer_variables = getattr(model.optimizer, "variables", [])
    return (
        model.get_weights(),
        [variable.numpy() for variable in optimizer_variables],
    )


def _restore(model, snapshot):
    weights, optimizer_values = snapshot
    model.set_weights(weights)
    for variable, value in zip(model.optimizer.variables, optimizer_values):
        variable.assign(value)
