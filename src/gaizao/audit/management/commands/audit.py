import json
import time
from datetime import date

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from gaizao.audit import trail
from gaizao.audit.rules import engine
from gaizao.projects.models import Project


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today“{text}”不是日期（例：2026-11-24）") from None


class Command(BaseCommand):
    help = (
        "审计：verify 从头重算审计日志的哈希链，指出第一条被改动或删除的记录；"
        "run 运行全部审计规则，保存发现的问题（再次运行不重复）"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,run}")
        actions.add_parser("verify", help="核验审计日志的哈希链")
        run = actions.add_parser("run", help="运行审计规则")
        run.add_argument("--project", action="append", help="项目编号（可重复；默认全部项目）")
        run.add_argument("--rule", action="append", choices=list(engine.BY_CODE), help="只运行该规则（可重复）")
        run.add_argument("--today", help="核查日 YYYY-MM-DD（默认今天）")
        run.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, action, **options):
        if action == "run":
            self.run(options)
            return
        started = time.perf_counter()
        verdict = trail.verify()
        seconds = time.perf_counter() - started
        if not verdict.ok:
            where = f"第 {verdict.broken_seq} 条：" if verdict.broken_seq else ""
            raise CommandError(f"审计日志不完整：{where}{verdict.problem}（此前 {verdict.checked} 条无误）")
        self.stdout.write(f"审计日志完整：{verdict.checked} 条，哈希链无误（{seconds:.1f} 秒）")

    def run(self, options) -> None:
        codes = options["project"] or []
        projects = dict(Project.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in projects]
        if unknown:
            raise CommandError(f"没有编号为“{'、'.join(unknown)}”的项目")
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        report = engine.run(
            today=today,
            project_ids=list(projects.values()) if codes else None,
            codes=options["rule"],
            projects=codes,
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        scope = "、".join(codes) if codes else "全部项目"
        self.stdout.write(f"审计规则运行（{scope}，核查日 {today}）：")
        for r in report.rules:
            self.stdout.write(
                f"  {r.title}：发现 {r.found}，新增 {r.new}，仍待处理 {r.open}，已处理 {r.closed}，"
                f"已消除 {r.resolved}（{r.seconds:.1f} 秒）"
            )
        self.stdout.write(f"共用时 {report.seconds:.1f} 秒")
