from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from gaizao.core.backup import BackupError, backup_database, backup_target


class Command(BaseCommand):
    help = "备份整个数据库（SQLite 用在线备份，PostgreSQL 用 pg_dump），并写出 .sha256 校验文件"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="备份文件或文件夹；默认为 数据目录/backups/gaizao-年月日-时分秒.sqlite3（PostgreSQL 为 .dump）",
        )

    def handle(self, *args, output, **options):
        target = backup_target(
            output=Path(output) if output else None,
            data_dir=Path(settings.DATA_DIR),
            vendor=connections[DEFAULT_DB_ALIAS].vendor,
            now=timezone.localtime(),
        )
        try:
            backup = backup_database(using=DEFAULT_DB_ALIAS, target=target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已备份：{backup.path}")
        self.stdout.write(f"大小：{backup.size / 1024 / 1024:.1f} MB（{backup.size:,} 字节）")
        self.stdout.write(f"校验文件：{backup.sidecar}")
        self.stdout.write(f"台账摘要：{backup.ledger_digest}")
