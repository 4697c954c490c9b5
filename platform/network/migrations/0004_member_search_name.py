"""Members found by any part of their name, with or without accents."""

import django.contrib.postgres.indexes
import ketnoi.search
from django.conf import settings
from django.db import migrations, models

from ketnoi.search import UNACCENT_SQL


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0003_member_name_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The function the generated column calls, if no app created it yet.
        migrations.RunSQL(UNACCENT_SQL, reverse_sql=migrations.RunSQL.noop),
        migrations.AddField(
            model_name='member',
            name='search_name',
            field=models.GeneratedField(db_persist=True, expression=ketnoi.search.Unaccented('full_name'), output_field=models.TextField()),
        ),
        migrations.AddIndex(
            model_name='member',
            index=django.contrib.postgres.indexes.GinIndex(fastupdate=False, fields=['search_name'], name='network_member_name_trgm', opclasses=['gin_trgm_ops']),
        ),
    ]
