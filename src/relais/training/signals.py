"""What the cascade tells the apps above it, which listen (monitoring, say)."""

from django.dispatch import Signal

# A session closed; `session` is it, in the closing transaction.
session_closed = Signal()

# The whole lineage was derived again from the facts (`relais lineage rebuild`).
lineage_rebuilt = Signal()

# Who delivered a session may have changed: a trainer was assigned or removed,
# the session moved or was cancelled. `session` is it; `people` are the ids of
# the people concerned (a trainer just removed no longer facilitates it).
deliveries_changed = Signal()
