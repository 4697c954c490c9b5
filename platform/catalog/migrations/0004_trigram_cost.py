"""Tell the planner what trigram word similarity really costs.

pg_trgm declares its operators as cheap as an equality, so on a table of a
few thousand pages PostgreSQL prefers to compute similarity for every row
(about 200 ms for 20,000 products) over the trigram index (about 5 ms). The
cost is a property of the shared extension; where the database role may not
alter it (some managed services), the search still works, only slower.
"""

from django.db import migrations

RAISE_COST = """
DO $$
BEGIN
    ALTER FUNCTION public.word_similarity_op(text, text) COST 100;
    ALTER FUNCTION public.word_similarity_commutator_op(text, text) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Cannot change the cost of pg_trgm functions; search uses defaults.';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_name_index")]

    operations = [migrations.RunSQL(RAISE_COST, reverse_sql=migrations.RunSQL.noop)]
