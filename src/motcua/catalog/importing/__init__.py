"""Catalogue import: the national catalogue's procedures (≈2,000 for a province) as drafts to
review and publish — `manage.py import_catalog` (docs/architecture.md §14).

mapping.py  one record → the procedure it describes, or the field-named reasons it is refused
readers.py  the JSON payload (streamed) and the Excel workbook (read-only), one record at a time
service.py  each procedure in its own transaction, as a draft; the report of what changed
"""
