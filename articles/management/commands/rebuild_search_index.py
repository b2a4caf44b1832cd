"""``manage.py rebuild_search_index``: rebuild every search row from the content and annotations."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.search.indexing import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index (newsletter text and annotations) from scratch."

    def handle(self, *args, **options):
        with transaction.atomic():
            rows = index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {rows} documents."))
