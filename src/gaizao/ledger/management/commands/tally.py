from django.core.management import BaseCommand, CommandError

from gaizao.ledger import tally
from gaizao.projects.models import Project


class Command(BaseCommand):
    help = "核对或重算台账日统计（进度指标的来源）：check 列出与事件重算不一致之处，rebuild 按事件重算"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("check", "rebuild"))
        parser.add_argument("--project", help="项目编号（默认全部项目）")

    def handle(self, *args, action, project, **options):
        ids = None
        if project:
            found = Project.objects.filter(code=project).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"没有编号为“{project}”的项目")
            ids = [found]
        if action == "rebuild":
            self.stdout.write(f"已重算，共 {tally.rebuild(ids)} 条日统计")
            return
        drift = tally.drift(ids)
        for (project_id, _, street, holder, day, measure), hundredths in sorted(drift.items(), key=str):
            self.stdout.write(
                f"项目 {project_id} 街道 {street} 包户单位 {holder or '无'} {day} {measure}：差 {hundredths / 100}"
            )
        if drift:
            raise CommandError(f"日统计与事件不一致：{len(drift)} 处；可运行 gaizao tally rebuild 重算")
        self.stdout.write("日统计与事件一致")
