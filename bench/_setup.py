"""Shared set-up for benchmark scripts: src on the path, Django configured."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MOTCUA_ALLOW_DEV_KEY", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
