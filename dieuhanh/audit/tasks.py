from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from dieuhanh.audit.services import audit_purge


@db_periodic_task(crontab(hour="2", minute="41"))
@lock_task("audit-purge")
def audit_purge_daily() -> int:
    return audit_purge()
