"""summarizer: rule-based structured summaries of news articles."""
__version__ = "0.1.0"

__all__ = ["Summarizer", "__version__"]


def __getattr__(name: str):
    if name == "Summarizer":  # imported lazily so `summarizer --help` starts fast
        from .api import Summarizer
        return Summarizer
    raise AttributeError(name)
