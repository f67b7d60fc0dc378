"""The daily task digest sent through the notifications engine: the tasks app's due items and text, once a day per
person of the lead unit, through the channels each chose."""

import datetime

from django.core import mail

from dieuhanh.alerts.digests import task_digests_send
from dieuhanh.alerts.models import Delivery, Notification


def test_the_digest_tells_the_lead_units_people_once_a_day(make_task, lead_reporter, leader, prefer, sent):
    day = datetime.date(2026, 3, 24)  # a Tuesday, 7 days before the default deadline 31/03/2026
    make_task(title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu của tỉnh")
    make_task(title="Báo cáo kết quả chuyển đổi số quý I", deadline=datetime.date(2026, 3, 20))  # overdue
    lead_reporter.email = "skhcn@tayninh.gov.vn"
    lead_reporter.save()
    prefer(lead_reporter, channels=["in_app", "email"])
    with sent():
        [digest] = task_digests_send(day=day)
    assert digest.user == lead_reporter and digest.level == "critical"
    assert digest.title.startswith("Nhắc việc: ") and "1 nhiệm vụ quá hạn" in digest.title
    assert "Triển khai nền tảng tích hợp" in digest.body and "Báo cáo kết quả chuyển đổi số quý I" in digest.body
    assert [m.to for m in mail.outbox] == [["skhcn@tayninh.gov.vn"]] and mail.outbox[0].subject == digest.title
    assert Delivery.objects.get(channel="email").state == "sent"
    assert not Notification.objects.filter(user=leader).exists()

    with sent():
        assert task_digests_send(day=day) == []  # a later run the same day tells nobody twice
    assert len(mail.outbox) == 1
    assert len(task_digests_send(day=day + datetime.timedelta(days=4))) == 1  # 3 days before: the next digest
