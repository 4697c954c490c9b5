"""Text compared without accents or case, shared by every app that searches.

Vietnamese names are typed with and without diacritics (`Nguyen Thi Lan`
for `Nguyễn Thị Lan`, `d` for `đ`), so searches compare both sides through
`public.ketnoi_unaccent`. The function lives in the public schema, which is
on every province's search path; `UNACCENT_SQL` creates it and is safe to run
again from any migration that needs it. unaccent() itself is only STABLE (its
dictionary could change); the wrapper names the dictionary explicitly, which
makes it safe to declare IMMUTABLE and so usable in generated columns and
indexes.
"""

from django.db import models

UNACCENT_SQL = """
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE OR REPLACE FUNCTION public.ketnoi_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""


class Unaccented(models.Func):
    """Lower-cased, unaccented text."""

    function = "public.ketnoi_unaccent"
    output_field = models.TextField()
