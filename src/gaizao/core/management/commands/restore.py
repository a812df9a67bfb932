from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from gaizao.core.backup import (
    BackupError,
    backup_check,
    describe_database,
    ledger_digest_or_none,
    restore_database,
)


class Command(BaseCommand):
    help = "用 gaizao backup 做的备份替换整个数据库（先核对 .sha256 校验文件）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件（旁边须有同名的 .sha256 校验文件）")
        parser.add_argument("--yes", action="store_true", help="确认替换当前数据库的全部数据")

    def handle(self, *args, path, yes, **options):
        backup = Path(path)
        try:
            recorded = backup_check(path=backup, vendor=connections[DEFAULT_DB_ALIAS].vendor)
            current = describe_database(DEFAULT_DB_ALIAS)
            if not yes:
                raise CommandError(
                    f"恢复会用备份“{backup.name}”替换{current}的全部数据，备份之后的改动都会丢失；"
                    "确认无误请加 --yes 再运行"
                )
            restore_database(using=DEFAULT_DB_ALIAS, path=backup)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已从“{backup}”恢复，替换了原来的{current}")
        self.report_digest(recorded)

    def report_digest(self, recorded: str | None) -> None:
        digest = ledger_digest_or_none(DEFAULT_DB_ALIAS)
        if digest is None:
            self.stdout.write("备份的数据库结构比程序旧：请运行 gaizao init 升级，再核对台账")
        elif recorded is None or digest == recorded:
            self.stdout.write(f"台账摘要：{digest}" + ("（与备份时一致）" if recorded else ""))
        else:
            self.stdout.write(f"注意：台账摘要 {digest} 与备份时记录的 {recorded} 不同（恢复后已有新的写入？）")
