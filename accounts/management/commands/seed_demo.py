from django.core.management.base import BaseCommand

from config.discovery import app_modules


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent: running it again changes nothing). Each app contributes <app>/demo.py."
    )

    def handle(self, *args, **options):
        for module in app_modules("demo"):
            module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
