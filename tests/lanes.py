"""The fast lane (`-m "not slow"`) and the full suite over the same parameter tables.

A table that crosses two axes (every action × every status it must refuse, every selector ×
every outsider) runs whole in the full suite; in the fast lane it keeps, for each value of each
axis, the first row that has it, so every action, every status, every selector and every
outsider is still tried at least once."""

import pytest


def fast_lane_sample(rows, *, axes=(0, 1)):
    """`rows`: pytest.param objects or tuples of values. The rows that are not the first one
    with their value on some axis are marked slow; returns pytest.param objects."""
    seen = [set() for _ in axes]
    out = []
    for row in rows:
        if isinstance(row, type(pytest.param())):
            values, marks, row_id = row.values, list(row.marks), row.id
        else:
            values, marks, row_id = tuple(row), [], None
        new = False
        for seen_values, axis in zip(seen, axes, strict=True):
            if values[axis] not in seen_values:
                seen_values.add(values[axis])
                new = True
        if not new:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(*values, marks=marks, id=row_id))
    return out
