"""briefgen: turn published Domestic Homicide Reviews into evidence-cited learning briefings for the police."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefgen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
