"""The monitoring worker: probes (probes.py), recording and the state machine (records.py), claims and the event
loop (loop.py). `run_once()` is what `manage.py monitor --once` and the Huey task call; `run_forever()` is the
`monitor` command's loop."""

from dieuhanh.monitoring.runner.loop import RunSummary, claim_due, due_checks, run_forever, run_once
from dieuhanh.monitoring.runner.probes import Outcome, ProbeSpec, cert_warning_days, probe
from dieuhanh.monitoring.runner.records import (
    STATE_RANK,
    heartbeat_evaluate,
    in_maintenance,
    result_record,
    state_change_record,
    system_follow,
    system_state_of,
    worst_state,
)

__all__ = ["STATE_RANK", "Outcome", "ProbeSpec", "RunSummary", "cert_warning_days", "claim_due", "due_checks",
           "heartbeat_evaluate", "in_maintenance", "probe", "result_record", "run_forever", "run_once",
           "state_change_record", "system_follow", "system_state_of", "worst_state"]
