import time

from django.core.management import BaseCommand, CommandError

from gaizao.audit import trail


class Command(BaseCommand):
    help = "审计：verify 从头重算审计日志的哈希链，指出第一条被改动或删除的记录"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        actions.add_parser("verify", help="核验审计日志的哈希链")

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        verdict = trail.verify()
        seconds = time.perf_counter() - started
        if not verdict.ok:
            where = f"第 {verdict.broken_seq} 条：" if verdict.broken_seq else ""
            raise CommandError(f"审计日志不完整：{where}{verdict.problem}（此前 {verdict.checked} 条无误）")
        self.stdout.write(f"审计日志完整：{verdict.checked} 条，哈希链无误（{seconds:.1f} 秒）")
