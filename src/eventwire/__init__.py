"""eventwire: news text to PLOVER 2.0 event data, with attribution, modality and evidence."""

__version__ = "0.1.0"
CODER = f"eventwire {__version__}"
