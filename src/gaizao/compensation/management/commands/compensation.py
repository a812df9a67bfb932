import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from gaizao.compensation.engine.compute import Result, shown
from gaizao.compensation.engine.facts import CHOICES
from gaizao.compensation.engine.standard import Standard, StandardError, load
from gaizao.compensation.services import standard_in_force, standard_publish, standard_save
from gaizao.compensation.whatif import WhatIf, compare, compute_households, differences, project_households
from gaizao.core.feedback import plain
from gaizao.projects.models import Project


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option} 应为 YYYY-MM-DD 格式的日期，而不是“{value}”") from error


def _decimal(value: str | None, option: str) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise CommandError(f"{option} 应为数值，而不是“{value}”") from error
    if number < 0:
        raise CommandError(f"{option} 不能为负数")
    return number


def result_json(number: str, result: Result) -> dict:
    return {
        "household": number,
        "standard": result.standard,
        "version": result.version,
        "choice": result.choice,
        "total": str(result.total),
        "lines": [
            {
                "name": line.name,
                "label": line.label,
                "amount": str(line.amount),
                "formula": line.formula,
                "inputs": {k: plain(shown(v)) for k, v in line.inputs.items()},
                "rule": line.rule,
                "note": line.note,
                "in_total": line.in_total,
            }
            for line in result.lines
        ],
    }


class Command(BaseCommand):
    help = "补偿方案：计算（compute）、比较新版本（diff）、载入并公布方案（load）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="按方案计算一户或全部户的补偿")
        compute.add_argument("--project", required=True)
        compute.add_argument("--household", help="户号；不填则计算全部户")
        compute.add_argument("--standard", help="方案文件（TOML）；不填则用已公布的现行方案")
        compute.add_argument(
            "--choice", help="货币补偿 / 产权调换 / 房票（money / swap / voucher）；不填用台账中的选择"
        )
        compute.add_argument("--signed-on", help="签约日期（假设），默认签约期第一天")
        compute.add_argument("--vacated-on", help="腾空日期（假设）")
        compute.add_argument("--flat-area", help="产权调换所选安置房面积，㎡")
        compute.add_argument("--flat-price", help="所选安置房单价，元/㎡")
        compute.add_argument("--transition-months", type=int, default=24, help="过渡期月数（默认24）")
        compute.add_argument("--format", choices=["text", "json"], default="text")
        diff = sub.add_parser("diff", help="新版本方案对每户的影响（公布前）")
        diff.add_argument("--project", required=True)
        diff.add_argument("--standard", required=True, help="新版本方案文件（TOML）")
        diff.add_argument("--format", choices=["text", "json"], default="text")
        load_parser = sub.add_parser("load", help="载入方案文件为草稿，可同时公布")
        load_parser.add_argument("file")
        load_parser.add_argument("--project", required=True)
        load_parser.add_argument("--publish", metavar="YYYY-MM-DD", help="公布日期")

    def handle(self, *args, action, **options):
        project = Project.objects.filter(code=options["project"]).first()
        if project is None:
            raise CommandError(f"没有编号为“{options['project']}”的项目")
        getattr(self, action)(project, options)

    # ---- load -------------------------------------------------------------------------------
    def load(self, project: Project, options) -> None:
        source = self.read_source(options["file"])
        try:
            standard = standard_save(by=None, project=project, source=source)
            if options["publish"]:
                standard = standard_publish(by=None, standard=standard, on=_date(options["publish"], "--publish"))
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已载入“{standard.name}”版本 {standard.version}（{standard.get_status_display()}）")

    # ---- compute ----------------------------------------------------------------------------
    def compute(self, project: Project, options) -> None:
        standard = self.standard(project, options["standard"])
        what_if = WhatIf(
            choice=options["choice"],
            signed_on=_date(options["signed_on"], "--signed-on"),
            vacated_on=_date(options["vacated_on"], "--vacated-on"),
            flat_area=_decimal(options["flat_area"], "--flat-area"),
            flat_price=_decimal(options["flat_price"], "--flat-price"),
            transition_months=options["transition_months"],
        )
        households = project_households(project, options["household"])
        if options["household"] and not households.exists():
            raise CommandError(f"项目“{project.code}”中没有户号“{options['household']}”")
        outcomes = compute_households(standard, project, households, what_if)
        failed = [o for o in outcomes if o.error]
        if options["format"] == "json":
            payload = [
                result_json(o.number, o.result) if o.result else {"household": o.number, "error": o.error}
                for o in outcomes
            ]
            self.stdout.write(json.dumps(payload[0] if options["household"] else payload, ensure_ascii=False, indent=1))
        elif options["household"]:
            self.write_lines(outcomes[0], what_if)
        else:
            self.write_totals(outcomes)
        if failed and options["household"]:
            raise SystemExit(1)

    def write_lines(self, outcome, what_if: WhatIf) -> None:
        if outcome.error:
            self.stderr.write(f"户号 {outcome.number}：{outcome.error}")
            return
        result = outcome.result
        self.stdout.write(f"户号 {outcome.number} · {result.standard}（{result.version}）· {CHOICES[result.choice]}")
        for line in result.lines:
            mark = "" if line.in_total else "（不计入合计）"
            self.stdout.write(f"  {line.label}{mark}: {line.amount:,.2f} 元 = {line.formula}  {line.note}")
        self.stdout.write(f"  合计: {result.total:,.2f} 元")
        self.stdout.write("  （签约、腾空日期与安置房为假设；签订协议后以协议为准）")

    def write_totals(self, outcomes) -> None:
        computed = [o for o in outcomes if o.result]
        for outcome in outcomes:
            shown = f"{outcome.total:,.2f} 元" if outcome.result else f"无法计算：{outcome.error}"
            self.stdout.write(f"{outcome.number}\t{shown}")
        total = sum((o.total for o in computed), Decimal(0))
        self.stdout.write(f"共 {len(outcomes)} 户，算出 {len(computed)} 户，合计 {total:,.2f} 元")

    # ---- diff -------------------------------------------------------------------------------
    def diff(self, project: Project, options) -> None:
        new = self.standard(project, options["standard"])
        current = standard_in_force(project)
        old = load(current.source) if current else None
        pairs = compare(old, new, project, project_households(project), WhatIf())
        changed = []
        for before, after in pairs:
            lines = differences(before.result if before else None, after.result)
            if lines or (before and before.error != after.error):
                changed.append((after.number, before.total if before else None, after.total, lines, after.error))
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "household": number,
                            "old_total": plain(old_total),
                            "new_total": plain(new_total),
                            "lines": {k: [plain(a), plain(b)] for k, (a, b) in lines.items()},
                            "error": error,
                        }
                        for number, old_total, new_total, lines, error in changed
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        basis = f"现行版本 {current.version}" if current else "（尚无已公布的方案）"
        self.stdout.write(f"新版本 {new.version} 对比{basis}：{len(changed)} / {len(pairs)} 户有变化")
        delta = Decimal(0)
        for number, old_total, new_total, lines, error in changed:
            if error:
                self.stdout.write(f"{number}\t无法计算：{error}")
                continue
            change = (new_total or 0) - (old_total or 0)
            delta += change
            detail = "；".join(
                f"{k} {a if a is not None else '—'}→{b if b is not None else '—'}" for k, (a, b) in lines.items()
            )
            self.stdout.write(f"{number}\t{old_total or '—'} → {new_total}（{change:+,.2f}）\t{detail}")
        self.stdout.write(f"补偿总额变化 {delta:+,.2f} 元")

    # ---- shared -----------------------------------------------------------------------------
    @staticmethod
    def read_source(file: str) -> str:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到方案文件“{file}”")
        return path.read_text(encoding="utf-8")

    def standard(self, project: Project, file: str | None) -> Standard:
        if file:
            source = self.read_source(file)
        else:
            current = standard_in_force(project)
            if current is None:
                raise CommandError(f"项目“{project.code}”还没有公布的补偿方案，请用 --standard 指定方案文件")
            source = current.source
        try:
            return load(source)
        except StandardError as error:
            raise CommandError(f"方案有误：{error}") from error
