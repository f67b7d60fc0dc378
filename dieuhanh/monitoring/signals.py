"""What the monitoring app tells the apps above it. Alerts depend on monitoring, not the other way round, so a
system's change of state is announced here and the alerts app listens (it queues its evaluation of the systems'
rules for after the commit): an outage reaches people within seconds instead of at the next minute's evaluation."""

from django.dispatch import Signal

# Sent inside the writing transaction when a system's state changes: system_id, old, new, at.
system_state_changed = Signal()
