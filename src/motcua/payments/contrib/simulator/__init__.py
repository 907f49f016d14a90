"""A payment-gateway simulator: the stand-in for a real gateway in the demo and the tests.

`protocol.py` and `server.py` use only the standard library, so the simulator runs without
Django (`python -m motcua.payments.contrib.simulator.server`). Our side of the protocol, the
gateway plugin, belongs to the demo (`motcua.demo.gateway`): it is registered only where the demo
app is installed, never in production.
"""
