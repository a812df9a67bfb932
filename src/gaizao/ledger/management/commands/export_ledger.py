from pathlib import Path

from django.core.management import BaseCommand, CommandError

from gaizao.ledger.models import Household
from gaizao.ledger.workbook.exporter import export_ledger
from gaizao.projects.models import Project


class Command(BaseCommand):
    help = "按台账模板导出项目的台账（每个街道一个工作表）；命令行以操作员权限导出完整信息"

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="项目编号")
        parser.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")

    def handle(self, *args, project, output, **options):
        target = Project.objects.filter(code=project).first()
        if target is None:
            raise CommandError(f"没有编号为“{project}”的项目")
        if not output.lower().endswith(".xlsx"):
            raise CommandError("输出文件应以 .xlsx 结尾")
        rows = export_ledger(Household.objects.filter(project=target), Path(output), reveal=True)
        self.stdout.write(f"已导出 {rows} 行到 {output}")
