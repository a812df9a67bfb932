from datetime import date

from django.core.management import BaseCommand, CommandError

from gaizao.supervision import tick


class Command(BaseCommand):
    help = "运行问责阶梯：逾期事项逐级挂牌督办、约谈、移送问责；同一天重复运行不会重复启动"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期运行（YYYY-MM-DD），默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要启动的，不写入")

    def handle(self, *args, today, dry_run, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today“{today}”不是 YYYY-MM-DD 格式的日期") from None
        report = tick.run(day, dry_run=dry_run)
        for climb in report.climbed:
            kind = tick.KIND_LABELS.get(climb.subject.kind, climb.subject.kind)
            self.stdout.write(
                f"{climb.rung.name}：[{kind}] {climb.subject.label}（逾期自 {climb.subject.overdue_since}）"
            )
        for line in report.exempt:
            self.stdout.write(f"暂缓问责：{line}")
        verb = "将启动" if dry_run else "启动"
        self.stdout.write(
            f"{report.day}：逾期 {report.subjects} 项，{verb} {len(report.climbed)} 项，解除 {report.resolved} 项"
            + ("（试运行，未写入）" if dry_run else "")
        )
