"""`manage.py run_relay` in a process of its own, with the tests' loopback receiver registered.

    python -m tests.outbox.relay_process [run_relay options]

The command is the real one (management command, loop, leases); the only addition is the import
that registers `tests.outbox.handlers.Loopback`, which a plain `manage.py` would not know.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    import tests.outbox.handlers  # noqa: F401 — registers the loopback receiver

    execute_from_command_line(["manage.py", "run_relay", *sys.argv[1:]])
