"""Words of the catalog for correcting misspelt searches, kept by triggers.

The trigger functions live in the public schema, like ketnoi_unaccent, and
write to the words table of the schema whose product table fired them, so one
copy serves every province and cloned provinces keep working. New products
arrive in whole statements (a generator inserts thousands at once), so the
insert trigger reads the statement's rows together; a product renamed or
given a new origin adds its words row by row. Numbers are not words here:
nothing corrects a typed number.
"""

import catalog.models
import django.contrib.postgres.indexes
from django.db import migrations, models

WORDS_SQL = r"""
CREATE OR REPLACE FUNCTION public.ketnoi_note_product_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO %I.catalog_searchword (word) SELECT DISTINCT word '
        'FROM new_products, '
        'regexp_split_to_table(new_products.search_text, ''[^[:alnum:]]+'') AS word '
        'WHERE length(word) BETWEEN 2 AND 100 AND word ~ ''[[:alpha:]]'' '
        'ON CONFLICT DO NOTHING',
        TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.ketnoi_note_renamed_product_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO %I.catalog_searchword (word) SELECT DISTINCT word '
        'FROM regexp_split_to_table($1, ''[^[:alnum:]]+'') AS word '
        'WHERE length(word) BETWEEN 2 AND 100 AND word ~ ''[[:alpha:]]'' '
        'ON CONFLICT DO NOTHING',
        TG_TABLE_SCHEMA) USING NEW.search_text;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS catalog_product_words_new ON catalog_product;
CREATE TRIGGER catalog_product_words_new AFTER INSERT ON catalog_product
    REFERENCING NEW TABLE AS new_products FOR EACH STATEMENT
    EXECUTE FUNCTION public.ketnoi_note_product_words();
DROP TRIGGER IF EXISTS catalog_product_words_renamed ON catalog_product;
CREATE TRIGGER catalog_product_words_renamed AFTER UPDATE OF name, origin
    ON catalog_product FOR EACH ROW
    WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text)
    EXECUTE FUNCTION public.ketnoi_note_renamed_product_words();
INSERT INTO catalog_searchword (word) SELECT DISTINCT word
    FROM catalog_product,
    regexp_split_to_table(catalog_product.search_text, '[^[:alnum:]]+') AS word
    WHERE length(word) BETWEEN 2 AND 100 AND word ~ '[[:alpha:]]'
    ON CONFLICT DO NOTHING;
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS catalog_product_words_new ON catalog_product;
DROP TRIGGER IF EXISTS catalog_product_words_renamed ON catalog_product;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_trigram_cost'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(db_collation='C', max_length=100, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='product',
            name='catalog_product_search_trgm',
        ),
        migrations.AddIndex(
            model_name='product',
            index=django.contrib.postgres.indexes.GinIndex(catalog.models.SearchWords('search_text'), name='catalog_product_search_words', fastupdate=False),
        ),
        migrations.AddIndex(
            model_name='searchword',
            index=django.contrib.postgres.indexes.GinIndex(fields=['word'], name='catalog_searchword_trgm', opclasses=['gin_trgm_ops'], fastupdate=False),
        ),
        migrations.RunSQL(WORDS_SQL, reverse_sql=DROP_SQL),
    ]
