"""Finding portfolio entries by the words of their name (docs/habilitations.md §10.2), with
each database's own text index; both give the same answers.

A search is a list of words (`companies.names.query_words`); an entry matches when each of
them begins some word of its `search_name` (already folded in Python by
`companies.names.search_key`: upper case, no accents, words separated by single spaces), in
any order. The indexes are scoped to the subscriber, so a search costs what the subscriber's
own matches cost, whatever the number of portfolios.

- **PostgreSQL**: a GIN index on the entry's words as lexemes, each prefixed by the
  subscriber (`array_to_tsvector(string_to_array(…))`: `s42xATLANTIQUE`); a search is
  `… @@ 's42xATLAN':* & 's42xLO':*`, a range of the subscriber's own lexemes. The lexemes are
  the words as Python folded them: no text search configuration, parser or `unaccent`
  dictionary that could fold differently.
- **SQLite**: a contentless FTS5 table whose row for an entry holds its words, each prefixed
  by the subscriber (`s42xATLANTIQUE`), kept in step by triggers on the entry table; a search
  is `"s42xATLAN"* "s42xLO"*`, a range of the subscriber's own terms.

The indexes are created by `habilitations/migrations/0007_portfolio_word_search.py`, on the
database concerned only. SQLite drops a table's triggers when a migration rebuilds it: a
migration that alters `habilitations_portfolioentry` must end with
`recreate_portfolio_search_on_sqlite()` from `habilitations/migrations/_triggers.py`.
"""

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet
from django.db.models.expressions import RawSQL

ENTRY_TABLE = "habilitations_portfolioentry"
FTS_TABLE = "habilitations_portfolio_words"


# PostgreSQL: the words of `search_name` as a tsvector, one lexeme per word, prefixed by the
# subscriber (`s42xATLANTIQUE`). The index is created from this very text, by SQL rather than
# by Django's schema editor, whose rendering of the same expression the planner did not match
# with the queries'; no two constants side by side (the planner folds them in queries only).
WORDS_VECTOR_SQL = (
    "array_to_tsvector(string_to_array('s' || ({subscriber})::text || 'x' || "
    "replace(({name})::text, ' ', ' s' || ({subscriber})::text || 'x'), ' '))"
)
POSTGRESQL_INDEX = "portfolio_words"
POSTGRESQL_CREATE = (
    f"CREATE INDEX {POSTGRESQL_INDEX} ON {ENTRY_TABLE} USING gin "
    f"({WORDS_VECTOR_SQL.format(subscriber='subscriber_id', name='search_name')})"
)
POSTGRESQL_DROP = f"DROP INDEX IF EXISTS {POSTGRESQL_INDEX}"


class WordsMatch(Func):
    """PostgreSQL: the entry's words match the tsquery (text of `'s42xATLAN':* & …`)."""

    arity = 2
    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__(F("subscriber_id"), F("search_name"))
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra):
        (subscriber, sub_params), (name, name_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        vector = WORDS_VECTOR_SQL.format(subscriber=subscriber, name=name)
        return (
            f"{vector} @@ (%s)::tsquery",
            (*sub_params, *name_params, *sub_params, self.tsquery),
        )


def _sqlite_words(row: str) -> str:
    prefix = f"'s' || {row}.subscriber_id || 'x'"
    return f"{prefix} || replace({row}.search_name, ' ', ' ' || {prefix})"


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(words, content='', columnsize=0, "
    "detail=none, tokenize='unicode61 remove_diacritics 0')",
]
SQLITE_FILL = [
    f"INSERT INTO {FTS_TABLE}(rowid, words) SELECT id, {_sqlite_words(ENTRY_TABLE)} "  # noqa: S608
    f"FROM {ENTRY_TABLE}",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER portfolio_words_insert AFTER INSERT ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, {_sqlite_words("new")});
    END""",  # noqa: S608 (table names are constants)
    f"""CREATE TRIGGER portfolio_words_delete AFTER DELETE ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words)
            VALUES ('delete', old.id, {_sqlite_words("old")});
    END""",  # noqa: S608 (table names are constants)
    f"""CREATE TRIGGER portfolio_words_update
    AFTER UPDATE OF id, subscriber_id, search_name ON {ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words)
            VALUES ('delete', old.id, {_sqlite_words("old")});
        INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, {_sqlite_words("new")});
    END""",  # noqa: S608 (table names are constants)
]
SQLITE_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS portfolio_words_{event}" for event in ("insert", "delete", "update")
]
SQLITE_DROP = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def matching(entries: QuerySet, subscriber_id: int, words: list[str]) -> QuerySet:
    """`entries` narrowed to the subscriber's whose name has a word beginning with each of
    `words` (non-empty, letters and digits only, as `query_words` gives them)."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"'s{subscriber_id}x{word}':*" for word in words)
        return entries.filter(subscriber_id=subscriber_id).filter(WordsMatch(tsquery))
    match = " ".join(f'"s{subscriber_id}x{word}"*' for word in words)
    # The rows come from the FTS match (the subscriber's own terms). The subscriber is
    # checked again, as `subscriber_id + 0` so that SQLite does not walk the subscriber's
    # index instead, testing each of their entries against the match (100,000 for a
    # big firm: 200 ms instead of a few).
    return entries.alias(owner=F("subscriber_id") + 0).filter(
        owner=subscriber_id,
        id__in=RawSQL(  # noqa: S611 (the words are a parameter)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            (match,),
        ),
    )
