"""Tamper-evident history (security issue #16): hash chains over append-only tables.

`chain` is the pure part (serialisation, links, the verifier); `chained` wires it to Django models
(the fields, the writer's helper, the registry that `manage.py verify_history` walks).
"""
