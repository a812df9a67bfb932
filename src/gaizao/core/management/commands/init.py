from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "创建或升级数据库（迁移到最新结构）"

    def handle(self, *args, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=options["verbosity"] - 1 if options["verbosity"] else 0)
        self.stdout.write(f"数据库已就绪：{settings.DATABASES['default']['NAME']}")
