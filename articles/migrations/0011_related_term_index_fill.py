"""Fill the related-story counts and index (0010) from the term vectors already stored."""

from django.db import migrations


def fill(apps, schema_editor):
    from articles.connect.similarity import distinctive_terms, document_frequencies, tfidf

    StoryVector = apps.get_model("articles", "StoryVector")
    TermStat = apps.get_model("articles", "TermStat")
    StoryTerm = apps.get_model("articles", "StoryTerm")
    vectors = {}
    for section_id, terms in StoryVector.objects.values_list("section_id", "terms"):
        vectors[section_id] = {t: n for t, n in terms.items() if 2 <= len(t) <= 64}
    if not vectors:
        return
    df = document_frequencies(vectors.values())
    TermStat.objects.bulk_create(
        [TermStat(term="", df=len(vectors)), *(TermStat(term=t, df=n) for t, n in df.items())], batch_size=500
    )
    StoryTerm.objects.bulk_create(
        (StoryTerm(term=term, section_id=pk) for pk, terms in vectors.items()
         for term in distinctive_terms(tfidf(terms, df, len(vectors)))),
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_related_term_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
