"""Orphans of a deleted issue stay searchable: ``SearchDocument.issue`` nullable, plus the
snapshot (issue title, story headline) the results page shows them under.

On SQLite these operations rebuild the documents table (new table, copy, drop, rename), and
dropping a table drops its triggers: the FTS5 triggers of 0005 are created again afterwards. Ids
are copied, so the FTS5 index (external content, by rowid) stays in step. PostgreSQL keeps its
trigger through ALTER TABLE."""

import django.db.models.deletion
from django.db import migrations, models

DOCS = "articles_searchdocument"
FTS = "articles_searchdocument_fts"
TRIGGERS = [
    f"""CREATE TRIGGER {DOCS}_ai AFTER INSERT ON {DOCS} BEGIN
        INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END""",
    f"""CREATE TRIGGER {DOCS}_ad AFTER DELETE ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END""",
    f"""CREATE TRIGGER {DOCS}_au AFTER UPDATE OF text ON {DOCS} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END""",
]


def _triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("ai", "ad", "au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {DOCS}_{name}")
    for sql in TRIGGERS:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_search_prefix_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='issue_title',
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='section_headline',
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AlterField(
            model_name='searchdocument',
            name='issue',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.issue'),
        ),
        migrations.RunPython(_triggers_again, _triggers_again),
    ]
