"""What the cascade tells the apps above it, which listen (monitoring, say)."""

from django.dispatch import Signal

# A session closed; `session` is it, in the closing transaction.
session_closed = Signal()

# The whole lineage was derived again from the facts (`relais lineage rebuild`).
lineage_rebuilt = Signal()
