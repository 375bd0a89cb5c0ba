"""Files made for people outside the app: the monthly light notice as Word and Excel (CLI: python -m exports)."""
