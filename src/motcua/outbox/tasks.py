"""The low-latency kick: queued after a commit that wrote outbox rows (services.enqueue).

The task carries no message: it runs one relay pass, so a kick that is lost, run twice or run by
a worker killed half-way changes nothing — the rows are the truth and the relay loop
(`manage.py run_relay`) delivers whatever the kicks missed.
"""

import os
import socket

from django_tasks import task

from . import relay


@task()
def relay_soon() -> dict:
    return relay.run_once(worker=f"task:{socket.gethostname()}:{os.getpid()}"[:64])
