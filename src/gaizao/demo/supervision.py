"""The demo's supervision: a notice with its rectifications, leaders' items, and the ladder run on the demo's days."""

from datetime import date, timedelta

from gaizao.core.models import Evidence
from gaizao.org.models import Official, Role, Unit
from gaizao.supervision import services, tick


class DemoSupervision:
    def __init__(self, office, today: date, evidence: Evidence):
        self.office, self.today, self.evidence = office, today, evidence

    def write(self) -> None:
        staff = {o.unit_id: o.user for o in Official.objects.filter(role=Role.STREET)}
        streets = list(Unit.objects.filter(pk__in=staff).order_by("path"))
        start = self.today - timedelta(days=20)
        notice = services.notice_publish(
            by=self.office,
            title="关于城市更新攻坚行动第一轮督查情况的通报",
            number="江北更新督〔2026〕5号",
            published_on=start,
            body="11月上旬，指挥部对各街道攻坚进展开展了专项督查，现将发现的问题通报如下。",
            problems=[
                (streets[0], "已拆除地块建筑垃圾未清运，未设置围挡", start + timedelta(days=7)),
                (streets[1], "重点户攻坚方案未做到一户一策", start + timedelta(days=10)),
                (streets[3], "台账与现场不一致，3户面积未复核", start + timedelta(days=7)),
            ],
        )
        for text, unit, days in (
            ("北站片区剩余重点户年底前全部签约", streets[4], 30),
            ("西关村拆后地块11月底前完成绿化", streets[3], 12),
        ):
            services.item_create(
                by=self.office,
                unit=unit,
                title=text,
                deadline=start + timedelta(days=days),
                report_every=7,
                issued_on=start,
            )
        first = notice.rectifications.get(unit=streets[0])
        services.rectification_answer(
            by=staff[streets[0].pk], rectification=first, answer="已清运并设置围挡", evidence=self.evidence
        )
        for offset in range(0, 21):
            tick.run(start + timedelta(days=offset))
