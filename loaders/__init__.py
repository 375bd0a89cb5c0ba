"""Loaders: everything that writes the data folder (the demo district now; office files later)."""
