import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from gaizao.ledger.workbook.importer import ImportReport, import_ledger
from gaizao.projects.models import Project


class Command(BaseCommand):
    help = "导入入户调查台账（.xlsx / .xls / .csv）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--project", required=True, help="项目编号")
        parser.add_argument("--dry-run", action="store_true", help="只检查、预览，不写入")
        parser.add_argument("--create-units", action="store_true", help="新建文件中出现的未知街道、包户单位")
        parser.add_argument("--valid-only", action="store_true", help="有错误行时仍导入其余有效行")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, project, dry_run, create_units, valid_only, format, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”")
        target = Project.objects.filter(code=project).first()
        if target is None:
            raise CommandError(f"没有编号为“{project}”的项目")
        report = import_ledger(
            path=path, project=target, dry_run=dry_run, create_units=create_units, valid_only=valid_only
        )
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
        else:
            self.write_text(report)
        if report.failed:
            raise SystemExit(1)

    def write_text(self, report: ImportReport) -> None:
        for item in report.rejected:
            self.stdout.write(f"拒绝  工作表“{item['sheet']}” 第{item['row']}行 【{item['column']}】 {item['reason']}")
        for item in report.warnings:
            self.stdout.write(f"提示  工作表“{item['sheet']}” 第{item['row']}行 【{item['column']}】 {item['message']}")
        if report.written:
            verb = "已写入"
        elif report.dry_run:
            verb = "预览（未写入）"
        elif report.rejected:
            verb = "有被拒绝的行，未写入任何数据（可加 --valid-only 只导入有效行）"
        else:
            verb = "文件与台账一致，无需写入"
        self.stdout.write(
            f"{verb}：新增 {report.households_created} 户、更新 {report.households_updated} 户、"
            f"未变 {report.households_unchanged} 户；新增房屋 {report.properties_created} 处、"
            f"更新房屋 {report.properties_updated} 处；拒绝 {len(report.rejected)} 条。"
        )
        if report.extra_columns:
            self.stdout.write("保留的其他列：" + "、".join(report.extra_columns))
