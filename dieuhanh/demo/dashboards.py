"""Two dashboards configured as a provincial administrator would, for the demo's leader (lanhdao): the province's
general picture, and the ICT sector's. Other leaders keep the dashboard built in code, so both can be seen."""

from __future__ import annotations

from dieuhanh.dashboard.models import Card, Dashboard
from dieuhanh.indicators.models import Sector

K = Card.Kind
GENERAL = ("Điều hành chung", None, [
    (K.KPI, "THU_NS"), (K.KPI, "XK"), (K.KPI, "FDI"), (K.KPI, "GRDP_TT"),
    (K.CHART, "DT_VT"), (K.KPI, "TL_DVC_TT"), (K.ALERTS, None),
    (K.RANKING, "TL_HS_DH"), (K.TASKS, None), (K.COMPLETENESS, None),
])
ICT = ("Bưu chính, viễn thông", "BCVT", [
    (K.KPI, "DT_VT"), (K.KPI, "DT_BC"), (K.KPI, "NS_BCVT"), (K.RANKING, "DT_VT"),
    (K.CHART, "TB_BRCD"), (K.KPI, "TB_DD"), (K.KPI, "TRAM_BTS"), (K.COMPLETENESS, None),
])


def dashboards_ensure(*, province, leader, indicators) -> list[Dashboard]:
    """Create the demo dashboards once (an administrator's later edits are kept); returns them in order."""
    out = []
    for order, (name, sector_code, cards) in enumerate((GENERAL, ICT), start=1):
        dashboard = Dashboard.objects.filter(name=name).first()
        if dashboard is None:
            sector = Sector.objects.filter(code=sector_code).first() if sector_code else None
            dashboard = Dashboard.objects.create(name=name, sector=sector, orgunit=province, order=order)
            dashboard.users.add(leader)
            Card.objects.bulk_create([
                Card(dashboard=dashboard, order=n, kind=kind, indicator=indicators.get(code) if code else None)
                for n, (kind, code) in enumerate(cards, start=1) if code is None or code in indicators
            ])
        out.append(dashboard)
    return out
