"""A payment-gateway simulator and its plugin.

`protocol.py` and `server.py` use only the standard library, so the simulator runs without
Django (`python -m motcua.payments.contrib.simulator.server`); `plugin.py` is the Django side.
"""
