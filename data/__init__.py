"""Bundled data: the label schema, the Chinese user words and the seed texts (read with importlib.resources)."""
