from django.core.management import BaseCommand

from gaizao.enforcement import surveys


class Command(BaseCommand):
    help = "运行排队中的图斑比对（以及因服务重启而中断的比对）；网页上传后由后台线程自动运行"

    def handle(self, *args, **options):
        self.stdout.write(f"已运行 {surveys.run_queued()} 次图斑比对")
