"""Exchange formats of the directory: data·inclusion v1 (export and import), CSV, GeoJSON.

Framework-free: the CLI (``web/cli_exchange.py``), the API and the back office reuse it.
"""
