import time

from django.core.management import BaseCommand, call_command

from gaizao.demo.build import PASSWORD, DemoBuilder
from gaizao.demo.portal import MONITOR_CODE, MONITOR_PHONE, RESIDENT_CODE, resident_household
from gaizao.org.models import Official
from gaizao.projects.models import Project
from gaizao.supervision import daily


class Command(BaseCommand):
    help = "建立演示区县（如尚未建立）并在本机启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=5000, help="被征收户数（默认 5000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子：相同种子得到相同的演示数据")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只建库，不启动服务")

    def handle(self, *args, households, seed, port, no_serve, **options):
        call_command("init", verbosity=0)
        if Project.objects.exists():
            self.stdout.write("演示数据已存在，直接启动（删除 var/ 目录可重建）")
        else:
            started = time.perf_counter()
            DemoBuilder(households, seed).build()
            self.stdout.write(f"已建立演示区县：{households} 户，用时 {time.perf_counter() - started:.1f} 秒")
        self.print_logins(port)
        if not no_serve:
            daily.start()  # the ladder runs by itself while the demo is served
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True)

    def print_logins(self, port: int) -> None:
        self.stdout.write(f"\n打开 http://127.0.0.1:{port}/ ，用下列账号登录（密码均为 {PASSWORD}）：")
        for official in Official.objects.select_related("user", "unit").order_by("id"):
            self.stdout.write(
                f"  {official.user.username:<10} {official.name}  {official.unit.name} · {official.get_role_display()}"
            )
        resident = resident_household()
        if resident is not None:
            self.stdout.write(
                f"\n居民查看本户档案：http://127.0.0.1:{port}/portal/ ，"
                f"身份证号 {resident.id_number}，案件码 {RESIDENT_CODE}（{resident.owner_name}，{resident.number}）"
            )
            self.stdout.write(
                f"百姓监督员：http://127.0.0.1:{port}/portal/monitor/ ，手机号 {MONITOR_PHONE}，登录码 {MONITOR_CODE}"
            )
        self.stdout.write("")
