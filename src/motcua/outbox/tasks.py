"""The low-latency kick: queued after a commit that wrote outbox rows (services.enqueue).

The task carries no message: it runs one relay pass, so a kick that is lost, run twice or run by
a worker killed half-way changes nothing — the rows are the truth and the relay loop
(`manage.py run_relay`) delivers whatever the kicks missed.
"""

import os
import socket
import uuid

from django_tasks import task

from . import relay


@task()
def relay_soon() -> dict:
    # Unique per run: a worker may run several kicks at once (threads), each holding its own leases.
    return relay.run_once(worker=f"task:{uuid.uuid4().hex[:8]}:{os.getpid()}:{socket.gethostname()}"[:64])
