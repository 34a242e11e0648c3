"""Visualisations of denoising results, following scikit-learn's Display API.

Each display is built with ``from_estimator`` (or ``from_predictions``) and
draws with :meth:`plot`, storing the matplotlib objects it made as attributes
ending in ``_``. Matplotlib is imported only when something is drawn, so it
stays an optional dependency (``pip install skdenoise[plot]``).
"""

import math
from numbers import Integral

import numpy as np
from sklearn.utils import check_array
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_is_fitted

from ._input import resolve_image_shape
from ._noise import corrupt
from .model_selection import best_epoch

__all__ = ["DenoisingDisplay", "TrainingCurveDisplay"]


class DenoisingDisplay:
    """Clean, noisy and denoised images side by side.

    Draws one row of images per kind: the clean samples, their corrupted
    versions, and what one or several denoisers made of them, one column
    per sample. Use :meth:`from_estimator` to corrupt and denoise data with
    a fitted :class:`~skdenoise.DenoisingAutoencoder`, or
    :meth:`from_predictions` for arrays computed beforehand, for instance to
    compare denoisers. All parameters are stored as attributes.

    Parameters
    ----------
    clean : array-like of shape (n_samples, n_features) or \
            (n_samples, height, width[, channels])
        Clean samples, flat or as images.

    noisy : array-like of the same number of values as `clean`
        Corrupted samples.

    denoised : array-like of the same number of values as `clean`, or dict \
            of str to such array-likes
        Denoised samples; a dict holds one row per denoiser, under the
        title of its row, in order.

    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of flat rows.
        ``None`` takes the shape of image arrays, and square grey images for
        flat rows. One channel is shown with a colour map, three as RGB.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (n_rows, n_shown)
        One row of axes per kind of image (clean, noisy, then every
        denoiser), one column per sample shown.

    images_ : ndarray of matplotlib AxesImage of shape (n_rows, n_shown)
        The images drawn.

    bounding_ax_ : matplotlib Axes or None
        The single Axes given to :meth:`plot` whose area the grid fills, and
        which is hidden; None otherwise.

    figure_ : matplotlib Figure
        Figure containing the images.

    See Also
    --------
    TrainingCurveDisplay : Training and validation loss per epoch.
    skdenoise.metrics.peak_signal_noise_ratio : The quality of denoised
        images as a number.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skdenoise import DenoisingAutoencoder
    >>> from skdenoise.datasets import load_mnist_sample
    >>> from skdenoise.display import DenoisingDisplay
    >>> X, _ = load_mnist_sample(return_X_y=True)
    >>> X = X[::20]  # 250 digits, 25 of each
    >>> dae = DenoisingAutoencoder(latent_dim=16, epochs=1, random_state=0)
    >>> dae = dae.fit(X)
    >>> display = DenoisingDisplay.from_estimator(
    ...     dae, X[::25], n_images=5, random_state=0
    ... )
    >>> display.axes_.shape
    (3, 5)
    >>> [ax.get_ylabel() for ax in display.axes_[:, 0]]
    ['Clean', 'Noisy', 'Denoised']

    Several denoisers of the same noisy samples, one row each:

    >>> import numpy as np
    >>> clean, noisy = X[::25], display.noisy
    >>> display = DenoisingDisplay.from_predictions(
    ...     clean[:5],
    ...     noisy,
    ...     {
    ...         "Autoencoder": display.denoised,
    ...         "Clipped": np.clip(noisy, 0.2, 0.8),
    ...     },
    ... )
    >>> [ax.get_ylabel() for ax in display.axes_[:, 0]]
    ['Clean', 'Noisy', 'Autoencoder', 'Clipped']
    """

    def __init__(self, clean, noisy, denoised, *, image_shape=None):
        self.clean = clean
        self.noisy = noisy
        self.denoised = denoised
        self.image_shape = image_shape

    def plot(
        self,
        ax=None,
        *,
        n_images=10,
        cmap="gray",
        titles="auto",
        vmin=None,
        vmax=None,
        imshow_kwargs=None,
    ):
        """Plot visualization.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes of shape \
                (n_rows, n_shown), default=None
            Where to draw. ``None`` makes a new figure. A single Axes has its
            area divided into the grid of images and is itself hidden. An
            array gives the Axes of every image: rows for clean, noisy and
            every denoiser, one column per sample shown.

        n_images : int, default=10
            Number of samples shown: the first `n_images`, or all of them
            when there are fewer.

        cmap : str or matplotlib Colormap, default="gray"
            Colour map of single-channel images; unused for RGB images.

        titles : "auto", tuple of str or None, default="auto"
            Labels of the rows, written left of their first image, one per
            row. ``"auto"`` gives ``("Clean", "Noisy", "Denoised")``, or
            the keys of `denoised` after ``"Clean", "Noisy"`` when it is a
            dict. ``None`` leaves the rows unlabelled.

        vmin, vmax : float or None, default=None
            Values shown as black and white (the ends of `cmap`), the same
            for all images so that they can be compared. ``None`` takes the
            smallest and the largest value of the images shown.

        imshow_kwargs : dict or None, default=None
            Extra keyword arguments of :meth:`matplotlib.axes.Axes.imshow`,
            for example ``{"interpolation": "nearest"}``.

        Returns
        -------
        display : :class:`DenoisingDisplay`
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        _check_n_images(n_images)
        arrays = self._arrays_by_row()
        if isinstance(titles, str) and titles == "auto":
            titles = tuple(arrays)
        elif titles is not None and len(titles) != len(arrays):
            raise ValueError(
                f"titles must hold {len(arrays)} labels, one per row (clean, "
                f"noisy, then every denoiser); got {len(titles)}: {titles!r}."
            )
        rows = _check_image_rows(arrays, self.image_shape)
        n_shown = min(n_images, rows[0].shape[0])
        rows = [row[:n_shown] for row in rows]
        axes, bounding_ax = _image_axes(ax, len(rows), n_shown)

        low = min(float(row.min()) for row in rows) if vmin is None else vmin
        high = max(float(row.max()) for row in rows) if vmax is None else vmax
        if not low < high:
            # Constant images: any non-empty range shows them as one colour.
            high = low + 1.0
        grey = rows[0].shape[-1] == 1
        kwargs = {"cmap": cmap, "vmin": low, "vmax": high} if grey else {}
        kwargs.update(imshow_kwargs or {})

        images = np.empty(axes.shape, dtype=object)
        for i, row in enumerate(rows):
            for j, image in enumerate(row):
                if grey:
                    image = image[..., 0]
                else:
                    # RGB images ignore vmin and vmax in imshow: rescale here.
                    image = np.clip((image - low) / (high - low), 0, 1)
                images[i, j] = axes[i, j].imshow(image, **kwargs)
                _strip(axes[i, j])
            if titles is not None:
                axes[i, 0].set_ylabel(titles[i])

        self.axes_ = axes
        self.images_ = images
        self.bounding_ax_ = bounding_ax
        self.figure_ = axes[0, 0].figure
        return self

    def _arrays_by_row(self):
        """The arrays to show, in row order, under their default titles."""
        arrays = {"Clean": self.clean, "Noisy": self.noisy}
        if not isinstance(self.denoised, dict):
            return {**arrays, "Denoised": self.denoised}
        if not self.denoised:
            raise ValueError("denoised must hold at least one denoiser; got {}.")
        clashes = set(arrays) & set(self.denoised)
        if clashes:
            raise ValueError(
                f"denoised must not use the row titles {sorted(clashes)}, "
                "which name the clean and noisy rows."
            )
        return {**arrays, **self.denoised}

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        noise=None,
        n_images=10,
        random_state=None,
        ax=None,
        cmap="gray",
        titles="auto",
        vmin=None,
        vmax=None,
        imshow_kwargs=None,
    ):
        """Corrupt clean samples, denoise them with an estimator, and plot.

        Only the first `n_images` samples of `X` are corrupted and denoised.

        Parameters
        ----------
        estimator : estimator instance
            Fitted denoiser with a ``predict`` method, such as
            :class:`~skdenoise.DenoisingAutoencoder`. Its ``image_shape_``
            attribute, where set, gives the shape of the images.

        X : {array-like, DataFrame} of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            Clean samples.

        noise : transformer or None, default=None
            Corruption applied to `X`, for example
            :class:`~skdenoise.GaussianNoiser`. ``None`` uses the
            estimator's own ``noise`` parameter. A copy is used.

        n_images : int, default=10
            Number of samples shown.

        random_state : int, RandomState instance or None, default=None
            Seed of the noise, set on the copy of `noise` where it has a
            ``random_state`` parameter. ``None`` keeps the noise's own seed.

        ax : matplotlib Axes or array-like of Axes of shape (3, n_shown), \
                default=None
            Where to draw; see :meth:`plot`.

        cmap : str or matplotlib Colormap, default="gray"
            Colour map of single-channel images.

        titles : "auto", tuple of 3 str or None, default="auto"
            Labels of the three rows; ``"auto"`` gives ``("Clean",
            "Noisy", "Denoised")``.

        vmin, vmax : float or None, default=None
            Value range of the colour map; see :meth:`plot`.

        imshow_kwargs : dict or None, default=None
            Extra keyword arguments of :meth:`matplotlib.axes.Axes.imshow`.

        Returns
        -------
        display : :class:`DenoisingDisplay`
            Object that stores the computed values.

        See Also
        --------
        DenoisingDisplay.from_predictions : Plot images denoised beforehand.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skdenoise import DenoisingAutoencoder, GaussianNoiser
        >>> from skdenoise.datasets import load_mnist_sample
        >>> from skdenoise.display import DenoisingDisplay
        >>> X, _ = load_mnist_sample(return_X_y=True)
        >>> dae = DenoisingAutoencoder(16, epochs=1, random_state=0)
        >>> dae.fit(X[::20])
        DenoisingAutoencoder(epochs=1, latent_dim=16, random_state=0)
        >>> display = DenoisingDisplay.from_estimator(
        ...     dae, X[::500], noise=GaussianNoiser(0.3), random_state=0
        ... )
        >>> display.noisy.shape
        (10, 784)
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator)
        _check_n_images(n_images)
        if noise is None:
            noise = getattr(estimator, "noise", None)
            if noise is None:
                raise ValueError(
                    f"{type(estimator).__name__} has noise=None, so there is no "
                    "corruption to show; pass noise, e.g. "
                    "noise=GaussianNoiser(noise_factor=0.5)."
                )
        X = check_array(X, dtype=(np.float32, np.float64), allow_nd=True, input_name="X")
        clean = X[:n_images]
        noisy = corrupt(noise, clean, random_state)
        denoised = estimator.predict(noisy)

        return cls.from_predictions(
            clean,
            noisy,
            denoised,
            image_shape=getattr(estimator, "image_shape_", None),
            n_images=n_images,
            ax=ax,
            cmap=cmap,
            titles=titles,
            vmin=vmin,
            vmax=vmax,
            imshow_kwargs=imshow_kwargs,
        )

    @classmethod
    def from_predictions(
        cls,
        clean,
        noisy,
        denoised,
        *,
        image_shape=None,
        n_images=10,
        ax=None,
        cmap="gray",
        titles="auto",
        vmin=None,
        vmax=None,
        imshow_kwargs=None,
    ):
        """Plot clean, noisy and denoised samples computed beforehand.

        Parameters
        ----------
        clean : array-like of shape (n_samples, n_features) or \
                (n_samples, height, width[, channels])
            Clean samples.

        noisy : array-like of the same number of values as `clean`
            Corrupted samples.

        denoised : array-like of the same number of values as `clean`, or \
                dict of str to such array-likes
            Denoised samples; a dict holds one row per denoiser, under the
            title of its row.

        image_shape : tuple of int or None, default=None
            ``(height, width)`` or ``(height, width, channels)`` of flat
            rows; see :class:`DenoisingDisplay`.

        n_images : int, default=10
            Number of samples shown.

        ax : matplotlib Axes or array-like of Axes of shape \
                (n_rows, n_shown), default=None
            Where to draw; see :meth:`plot`.

        cmap : str or matplotlib Colormap, default="gray"
            Colour map of single-channel images.

        titles : "auto", tuple of str or None, default="auto"
            Labels of the rows; see :meth:`plot`.

        vmin, vmax : float or None, default=None
            Value range of the colour map; see :meth:`plot`.

        imshow_kwargs : dict or None, default=None
            Extra keyword arguments of :meth:`matplotlib.axes.Axes.imshow`.

        Returns
        -------
        display : :class:`DenoisingDisplay`
            Object that stores the computed values.

        See Also
        --------
        DenoisingDisplay.from_estimator : Corrupt and denoise with a fitted
            estimator, then plot.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skdenoise.display import DenoisingDisplay
        >>> rng = np.random.RandomState(0)
        >>> clean = rng.uniform(size=(4, 8, 8))
        >>> noise = rng.normal(scale=0.3, size=clean.shape)
        >>> noisy = np.clip(clean + noise, 0, 1)
        >>> denoised = (clean + noisy) / 2
        >>> display = DenoisingDisplay.from_predictions(
        ...     clean, noisy, denoised
        ... )
        >>> display.axes_.shape
        (3, 4)
        """
        check_matplotlib_support(f"{cls.__name__}.from_predictions")
        display = cls(clean, noisy, denoised, image_shape=image_shape)
        return display.plot(
            ax=ax,
            n_images=n_images,
            cmap=cmap,
            titles=titles,
            vmin=vmin,
            vmax=vmax,
            imshow_kwargs=imshow_kwargs,
        )


class TrainingCurveDisplay:
    """Training and validation loss per epoch.

    Plots the ``"loss"`` of a training history and, where present, its
    ``"val_loss"``, with a marker on the epoch of the lowest validation loss
    (see :func:`~skdenoise.model_selection.best_epoch`). Where the history
    ends in epochs without validation, as after
    :meth:`~skdenoise.DenoisingAutoencoder.partial_fit`, no validated epoch
    describes the model any more: nothing is marked, and the legend says
    since which epoch the model has not been validated.
    Use :meth:`from_estimator` with a fitted
    :class:`~skdenoise.DenoisingAutoencoder`. All parameters are stored as
    attributes.

    Parameters
    ----------
    history : dict of str to list of float
        Per-epoch ``"loss"`` and, optionally, ``"val_loss"`` of the same
        length, as in the ``history_`` attribute of
        :class:`~skdenoise.DenoisingAutoencoder`. Other keys are ignored.

    loss_name : str or None, default=None
        Name of the loss, shown on the y axis.

    Attributes
    ----------
    line_ : matplotlib Line2D
        Training loss.

    val_line_ : matplotlib Line2D or None
        Validation loss; None when `history` has none.

    best_marker_ : matplotlib Line2D or None
        Marker at the lowest validation loss; None where `best_epoch_` is.

    best_epoch_ : int or None
        Epoch, counted from 1, of the lowest validation loss; None without
        validation loss, or when the last epochs have none.

    ax_ : matplotlib Axes
        Axes with the curves.

    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    DenoisingDisplay : Clean, noisy and denoised images side by side.
    sklearn.model_selection.LearningCurveDisplay : Scores against the size of
        the training set.

    Notes
    -----
    Keras reports as ``"loss"`` the mean over the batches of an epoch, on
    freshly corrupted inputs and while the weights change, but as
    ``"val_loss"`` the loss of the weights at the end of the epoch. The
    validation curve can therefore lie below the training curve, most
    visibly in the first epochs.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skdenoise.display import TrainingCurveDisplay
    >>> history = {"loss": [0.30, 0.20, 0.15],
    ...            "val_loss": [0.22, 0.16, 0.17]}
    >>> display = TrainingCurveDisplay(history).plot()
    >>> display.best_epoch_
    2
    >>> display.ax_.get_xlabel()
    'Epoch'
    """

    def __init__(self, history, *, loss_name=None):
        self.history = history
        self.loss_name = loss_name

    def plot(self, ax=None, *, loss_kwargs=None, val_loss_kwargs=None, best_kwargs=None):
        """Plot visualization.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes object to plot on. If `None`, a new figure and axes is
            created.

        loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            training loss.

        val_loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            validation loss.

        best_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            marker of the lowest validation loss.

        Returns
        -------
        display : :class:`TrainingCurveDisplay`
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        from matplotlib.ticker import MaxNLocator

        loss, val_loss = _check_history(self.history)
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()

        epochs = np.arange(1, loss.shape[0] + 1)
        self.line_ = ax.plot(
            epochs,
            loss,
            **_line_kwargs(
                {"label": "Training loss", "color": "tab:blue", "marker": "."},
                loss_kwargs,
            ),
        )[0]
        self.val_line_ = self.best_marker_ = self.best_epoch_ = None
        if val_loss is not None:
            validated = np.flatnonzero(~np.isnan(val_loss))
            label = "Validation loss"
            if validated.size and validated[-1] + 1 < len(val_loss):
                label += f" (none after epoch {validated[-1] + 1})"
            self.val_line_ = ax.plot(
                epochs,
                val_loss,
                **_line_kwargs(
                    {"label": label, "color": "tab:orange", "marker": "."},
                    val_loss_kwargs,
                ),
            )[0]
            epoch, lowest = best_epoch(val_loss)
            if epoch is not None:
                self.best_epoch_ = epoch
                default_best = {
                    "label": (f"Lowest validation loss: {lowest:.4g} (epoch {epoch})"),
                    "color": "tab:red",
                    "marker": "o",
                    "markersize": 8,
                    "fillstyle": "none",
                    "linestyle": "none",
                }
                self.best_marker_ = ax.plot(
                    [epoch],
                    [lowest],
                    **_line_kwargs(default_best, best_kwargs),
                )[0]

        ylabel = "Loss" if self.loss_name is None else f"Loss ({self.loss_name})"
        ax.set(xlabel="Epoch", ylabel=ylabel)
        # Epochs are whole numbers; without this a short run gets 1.5, 2.5...
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls, estimator, *, ax=None, loss_kwargs=None, val_loss_kwargs=None, best_kwargs=None
    ):
        """Plot the training history of a fitted estimator.

        Parameters
        ----------
        estimator : estimator instance
            Fitted estimator with a ``history_`` attribute, such as
            :class:`~skdenoise.DenoisingAutoencoder`. Its ``loss``
            parameter, where it has one, names the y axis.

        ax : matplotlib Axes, default=None
            Axes object to plot on. If `None`, a new figure and axes is
            created.

        loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            training loss.

        val_loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            validation loss.

        best_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            marker of the lowest validation loss.

        Returns
        -------
        display : :class:`TrainingCurveDisplay`
            Object that stores the computed values.

        See Also
        --------
        TrainingCurveDisplay.from_history : Plot a history recorded
            beforehand, for instance by plain Keras.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skdenoise import DenoisingAutoencoder
        >>> from skdenoise.datasets import load_mnist_sample
        >>> from skdenoise.display import TrainingCurveDisplay
        >>> X, _ = load_mnist_sample(return_X_y=True)
        >>> dae = DenoisingAutoencoder(16, epochs=2, random_state=0)
        >>> dae.fit(X[::20])
        DenoisingAutoencoder(epochs=2, latent_dim=16, random_state=0)
        >>> display = TrainingCurveDisplay.from_estimator(dae)
        >>> display.line_.get_xdata().tolist()
        [1, 2]
        >>> display.ax_.get_ylabel()
        'Loss (binary_crossentropy)'
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator, "history_")
        return cls.from_history(
            estimator.history_,
            loss_name=getattr(estimator, "loss_", None),
            ax=ax,
            loss_kwargs=loss_kwargs,
            val_loss_kwargs=val_loss_kwargs,
            best_kwargs=best_kwargs,
        )

    @classmethod
    def from_history(
        cls,
        history,
        *,
        loss_name=None,
        ax=None,
        loss_kwargs=None,
        val_loss_kwargs=None,
        best_kwargs=None,
    ):
        """Plot a training history recorded beforehand.

        Parameters
        ----------
        history : dict of str to list of float
            Per-epoch ``"loss"`` and, optionally, ``"val_loss"``, as in the
            ``history_`` of :class:`~skdenoise.DenoisingAutoencoder` or the
            ``history`` of a Keras ``History``.

        loss_name : str or None, default=None
            Name of the loss, shown on the y axis.

        ax : matplotlib Axes, default=None
            Axes object to plot on. If `None`, a new figure and axes is
            created.

        loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            training loss.

        val_loss_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            validation loss.

        best_kwargs : dict or None, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            marker of the lowest validation loss.

        Returns
        -------
        display : :class:`TrainingCurveDisplay`
            Object that stores the computed values.

        See Also
        --------
        TrainingCurveDisplay.from_estimator : Plot the history of a fitted
            estimator.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skdenoise.display import TrainingCurveDisplay
        >>> history = {"loss": [0.30, 0.20, 0.15],
        ...            "val_loss": [0.22, 0.16, 0.17]}
        >>> display = TrainingCurveDisplay.from_history(
        ...     history, loss_name="BCE"
        ... )
        >>> display.best_epoch_
        2
        >>> display.ax_.get_ylabel()
        'Loss (BCE)'
        """
        check_matplotlib_support(f"{cls.__name__}.from_history")
        display = cls(history, loss_name=loss_name)
        return display.plot(
            ax=ax,
            loss_kwargs=loss_kwargs,
            val_loss_kwargs=val_loss_kwargs,
            best_kwargs=best_kwargs,
        )


def _check_n_images(n_images):
    if not isinstance(n_images, Integral) or isinstance(n_images, bool) or n_images < 1:
        raise ValueError(f"n_images must be a positive integer; got {n_images!r}.")


def _as_images(X, image_shape, name):
    """Return `X` as an array of shape (n_samples, height, width, channels)."""
    X = check_array(X, dtype="numeric", allow_nd=True, input_name=name)
    if X.ndim not in (2, 3, 4):
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features) or a stack of images "
            f"(n_samples, height, width[, channels]); got shape {X.shape}."
        )
    sample_shape = X.shape[1:] if X.ndim > 2 else None
    # "conv": a display shows every sample as an image, so flat rows of a
    # square number of values of any size are taken for square grey images.
    shape = resolve_image_shape(
        image_shape, sample_shape, math.prod(X.shape[1:]), "conv", input_name=name
    )
    if shape[2] not in (1, 3):
        raise ValueError(f"Images must have 1 (grey) or 3 (RGB) channels; {name} has {shape[2]}.")
    return X.reshape(X.shape[0], *shape)


def _check_image_rows(arrays, image_shape):
    """Validate titled arrays as images of one shape; return them in order."""
    names = ["clean", "noisy"] + [
        f"denoised[{title!r}]" if len(arrays) > 3 else "denoised" for title in list(arrays)[2:]
    ]
    rows = [
        _as_images(X, image_shape, name) for name, X in zip(names, arrays.values(), strict=True)
    ]
    shapes = {name: row.shape for name, row in zip(names, rows)}
    if len(set(shapes.values())) > 1:
        described = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(
            "clean, noisy and denoised must hold the same number of images of "
            f"the same shape; got {described} (as samples, height, width, "
            "channels)."
        )
    return rows


def _image_axes(ax, n_rows, n_images):
    """Return a (n_rows, n_images) array of Axes, and the Axes it fills if any."""
    from matplotlib.axes import Axes

    if ax is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(
            n_rows, n_images, figsize=(1.1 * n_images + 0.6, 1.2 * n_rows), squeeze=False
        )
        return axes, None
    if isinstance(ax, Axes):
        spec = ax.get_subplotspec()
        if spec is None:
            raise ValueError(
                "ax must be part of a grid of subplots (made by subplots or "
                "add_subplot) to be divided into images; pass an array of "
                f"Axes of shape ({n_rows}, {n_images}) instead."
            )
        grid = spec.subgridspec(n_rows, n_images)
        axes = np.empty((n_rows, n_images), dtype=object)
        for i in range(n_rows):
            for j in range(n_images):
                axes[i, j] = ax.figure.add_subplot(grid[i, j])
        ax.set_axis_off()
        return axes, ax
    axes = np.asarray(ax, dtype=object)
    if axes.shape != (n_rows, n_images) or not all(isinstance(a, Axes) for a in axes.flat):
        raise ValueError(
            f"ax must be a matplotlib Axes or an array of Axes of shape "
            f"({n_rows}, {n_images}), for {n_rows} rows of the {n_images} "
            "images shown; got "
            f"{'an array of shape ' + str(axes.shape) if axes.ndim else repr(ax)}."
        )
    return axes, None


def _strip(ax):
    """Remove ticks and frame, keeping the axis labels visible."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _check_history(history):
    """Return the loss and validation loss of a history as float arrays."""
    try:
        loss = history["loss"]
    except (KeyError, TypeError):
        raise ValueError(
            "history must be a dict with a per-epoch 'loss' list, like the "
            f"history_ of a fitted DenoisingAutoencoder; got {history!r}."
        ) from None
    loss = _as_curve(loss, "loss")
    val_loss = history.get("val_loss")
    if val_loss is not None:
        val_loss = _as_curve(val_loss, "val_loss")
        if val_loss.shape != loss.shape:
            raise ValueError(
                f"history has {loss.shape[0]} epochs of 'loss' but "
                f"{val_loss.shape[0]} of 'val_loss'; they must match."
            )
    return loss, val_loss


def _as_curve(values, key):
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError(
            f"history[{key!r}] must be a non-empty list of one number per "
            f"epoch; got an array of shape {values.shape}."
        )
    return values


def _line_kwargs(defaults, user):
    """Merge plot keyword arguments, letting ``c=`` override ``color=``."""
    from matplotlib import cbook
    from matplotlib.lines import Line2D

    return {
        **cbook.normalize_kwargs(defaults, Line2D),
        **cbook.normalize_kwargs(user or {}, Line2D),
    }
