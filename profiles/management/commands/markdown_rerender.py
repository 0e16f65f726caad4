from django.apps import apps
from django.core.management.base import BaseCommand

from profiles.markdown import markdown_fields, markdown_rerender


class Command(BaseCommand):
    help = (
        "Render the stored HTML of every Markdown text again (bios, project descriptions, chat "
        "messages, ...). Run it after changing the sanitizer's rules or a renderer; rows already "
        "up to date are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", metavar="app_label.Model", help="Only these models.")

    def handle(self, *args, models, **options):
        targets = [apps.get_model(label) for label in models] or [
            model for model in apps.get_models() if markdown_fields(model)
        ]
        for model in targets:
            changed = markdown_rerender(model)
            self.stdout.write(f"{model._meta.label}: {changed} row(s) rendered again")
        self.stdout.write(self.style.SUCCESS("Stored Markdown HTML is up to date."))
