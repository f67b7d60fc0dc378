"""An approved report and an agreed deadline extension are different things, each with its own Vietnamese word."""

from django.utils import translation

from dieuhanh.assignments.models import Extension
from dieuhanh.reporting.completeness import STATE_LABELS, State
from dieuhanh.reporting.models import Submission


def test_report_approval_and_extension_approval_read_differently():
    with translation.override("vi"):
        assert str(Submission.Status.APPROVED.label) == "Đã phê duyệt"
        assert str(STATE_LABELS[State.APPROVED]) == "Đã phê duyệt"
        assert str(Extension.Decision.APPROVED.label) == "Đã đồng ý"
