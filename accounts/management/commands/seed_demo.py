from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load demo data (idempotent: running it again changes nothing): each of settings.DEMO_DATA."

    def handle(self, *args, **options):
        for seed in settings.DEMO_DATA:
            import_string(seed)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
