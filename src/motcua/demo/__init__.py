"""The demonstration: installed only when MOTCUA_DEMO=1 (`./dev demo`, `./dev test`).

It owns everything that lets MộtCửa run with no contract and no configuration: the demo
catalogue (data/), demo agencies and accounts (`manage.py load_demo`), SMS/Zalo senders that
keep messages in the database, the payment simulator's gateway, and throwaway signing keys.
None of it is fit for production; `motcua.web.checks` refuses it when DEBUG is off.

This package's `__init__` and `published.py` import nothing from Django: settings and the
stand-alone payment simulator read `published.py` whether or not the app is installed.
"""
