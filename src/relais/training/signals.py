"""What the cascade tells the apps above it, which listen (monitoring, say)."""

from django.dispatch import Signal

# A session closed; `session` is it, in the closing transaction.
session_closed = Signal()
