"""supple: a terminal coach for back and neck stretching."""

__version__ = "0.1.0"
