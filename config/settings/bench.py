"""The load benchmark's app servers: the development settings without debug, so
that they run as production does (no query log, no debug pages)."""

from .dev import *  # noqa: F403

DEBUG = False
# The load benchmark's users each send their own address, as one reverse proxy
# in front would pass it on.
RELAIS_TRUSTED_PROXIES = 1
