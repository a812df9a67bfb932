from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from gaizao.accounts import services
from gaizao.org.models import ADMIN_ROLES, Official, Role, Unit


class Command(BaseCommand):
    help = "账户：bootstrap 开设系统管理员、安全管理员、安全审计员三个账户（三员分立），各打印一次临时密码"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{bootstrap}")
        boot = actions.add_parser("bootstrap", help="开设三员账户（仅在尚无三员时）")
        boot.add_argument("--unit", required=True, help="三员所在单位的名称（如“区大数据中心”）")
        for role in ("system", "security", "audit"):
            boot.add_argument(f"--{role}", nargs=3, metavar=("USERNAME", "NAME", "ID_NUMBER"), required=True)

    @transaction.atomic
    def handle(self, *args, action, unit, **options):
        if Official.objects.filter(role__in=ADMIN_ROLES).exists():
            raise CommandError("已有三员账户：此后的账户由系统管理员在“账户管理”中开设")
        found = Unit.objects.filter(name=unit).first()
        if found is None:
            raise CommandError(f"--unit：没有名为“{unit}”的单位")
        people = {Role.SYSTEM_ADMIN: options["system"], Role.SECURITY_ADMIN: options["security"]}
        people[Role.AUDIT_ADMIN] = options["audit"]
        try:
            for role, (username, name, id_number) in people.items():
                official, password = services.account_open(
                    by=None, username=username, name=name, unit=found, id_number=id_number
                )
                services.role_grant(by=None, official=official, role=role)
                self.stdout.write(f"{Role(role).label}：{username} 临时密码 {password}（首次登录须修改）")
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
