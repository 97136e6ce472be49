"""oa: an office's administration as YAML records in git."""

__version__ = "0.1.0"
