"""The demo's supervision: a notice with its rectifications, leaders' items, and the ladder run on the demo's days."""

from datetime import date, timedelta

from gaizao.core.models import Evidence
from gaizao.org.models import Official, Role, Unit
from gaizao.supervision import services, tick

# written for the demo: a short dispatch-meeting speech in the usual numbered levels
SPEECH = """同志们：
今天召开调度会，主要是听取各街道攻坚进展，安排下一阶段工作。
一、正视差距，增强紧迫感
一是签约进度不平衡。东湖街道、南湖镇进度明显滞后。
二是拆后清理不及时。部分地块建筑垃圾未清运。
二、突出重点，全力攻坚
一要加快签约。北站街道要确保年底前完成剩余重点户签约。
二要推进拆除。西山街道要在1个月内完成已腾空房屋拆除，拆除面积不少于2万平方米。
三要抓好拆后利用。每个街道都要安排1-2个点打造亮点项目，12月20日前报送方案。
三、严明纪律，强化督考
各街道要严格落实一天一汇报制度，区自然资源局要做好安置地块规划调整，本月底前完成。
"""


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
        checklist = services.checklist_create(
            by=self.office,
            name="“无违建”街道创建预验收",
            items=[("存量违建清零", 40), ("新增违建零发生", 30), ("拆后土地利用", 20), ("档案资料齐全", 10)],
            pass_mark=90,
        )
        for unit, points in ((streets[0], (40, 30, 18, 10)), (streets[3], (30, 30, 15, 5))):
            scores = {
                item["name"]: (score, self.evidence if score else None, "")
                for item, score in zip(checklist.items, points, strict=True)
            }
            services.preacceptance_record(
                by=self.office, checklist=checklist, unit=unit, held_on=start + timedelta(days=5), scores=scores
            )
        services.adjustment_add(
            by=self.office,
            unit=streets[0],
            year=self.today.year,
            kind="bonus",
            points=3,
            reason="拆后地块建成口袋公园，列为全区亮点项目",
            evidence=self.evidence,
        )
        services.speech_save(by=self.office, title="全区城市更新攻坚调度会讲话（演示）", held_on=start, text=SPEECH)
        for offset in range(0, 21):
            tick.run(start + timedelta(days=offset))
