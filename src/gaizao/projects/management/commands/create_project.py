from datetime import date

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from gaizao.org.models import Unit, UnitKind
from gaizao.org.services import unit_create
from gaizao.projects.models import ProjectKind
from gaizao.projects.services import project_create


def parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option} 应为 YYYY-MM-DD 格式的日期，而不是“{value}”") from error


class Command(BaseCommand):
    help = "新建项目（片区）"

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="项目编号，如 xicun-2026")
        parser.add_argument("--name", required=True, help="项目名称")
        parser.add_argument("--kind", required=True, help="类型：" + "、".join(ProjectKind.values))
        parser.add_argument("--freeze-date", help="征收范围冻结日 YYYY-MM-DD（征收类项目必填，三改项目不设）")
        parser.add_argument("--scope", default="", help="改造内容（三改项目）")
        parser.add_argument("--district", help="区县名称；不填时使用唯一的区县，没有则新建“示范区”")

    def handle(self, *args, code, name, kind, freeze_date, scope, district, **options):
        try:
            project = project_create(
                code=code,
                name=name,
                kind=kind,
                district=self.district(district),
                freeze_date=parse_date(freeze_date, "--freeze-date") if freeze_date else None,
                scope=scope,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已新建项目 {project.code}（{project.name}），区县：{project.district.name}")

    def district(self, name: str | None) -> Unit:
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT)
        if name:
            found = districts.filter(name=name).first()
            return found or unit_create(name=name, kind=UnitKind.DISTRICT)
        if districts.count() == 1:
            return districts.get()
        if districts.exists():
            raise CommandError("有多个区县，请用 --district 指明")
        return unit_create(name="示范区", kind=UnitKind.DISTRICT)
