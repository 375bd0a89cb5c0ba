"""Streamlit pieces shared by the pages: cached data access, URL filters, chart theme, page frame."""
