"""Loaders: everything that writes the data folder — the demo district, the office's files, a unit's report sheet."""
