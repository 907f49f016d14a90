"""Rows of the REST API (docs/architecture.md §17): its clients and its idempotent requests."""
