"""Load beyond one call: `fire --count` (`firing`: many requests from one process or several, and their summary),
Locust user classes that call a registration inline hook as Okta does (`locustfile`), and the outcome table
`mock-okta load` prints from Locust's CSV (`outcomes`). Only Locust imports `locustfile`: it brings gevent's
monkey-patching with it."""

from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
