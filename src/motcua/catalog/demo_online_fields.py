"""Online form fields of the demo procedures (pure data; filled by the portal work).

FIELDS = {"1.001193": [{"key": ..., "label": ..., "kind": "text", "required": True, ...}, ...]}
"""

FIELDS: dict[str, list[dict]] = {}
