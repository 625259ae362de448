"""Text search by the databases' own full-text indexes (ADR 0017).

Each entry's words (``mend.search.text``: folded, stemmed, stopwords out, synonyms added
by the indexer) are stored once, space-delimited, in ``SearchText``: on SQLite an FTS5
table (``ascii`` tokenizer, no positions), on PostgreSQL a narrow table of the entry id
and a ``tsvector`` with a GIN index. Both are asked the same question, with the
semantics the token table had: every query word must match (AND); a word of three or
more letters matches any word that starts with it, a shorter one only itself.

Two ways to ask, chosen as before by whether the position index drives:

- ``driving``: the full-text index lists the matching entries (``id IN (...)``);
- ``per_row``: each entry the position index found checks its own words (a primary-key
  lookup, then ``LIKE`` on SQLite or ``@@`` on PostgreSQL). On SQLite a per-row MATCH
  would rebuild a prefix's whole doclist for every row; ``LIKE`` on the stored words
  reads one short string.

Not protected here: nothing; the words are the ones the token table held (address words
only for public addresses, ``mend.search.drafts``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from mend.search.models import SearchText

TABLE = "search_searchtext"
ENTRY_ID = '"search_searchentry"."id"'  # the entries' table is never aliased in a search
INSERT_BATCH = 500
# SQLite: FTS5 keeps the words (so a per-row check and a delete can read them), no
# positions or sizes (no phrase queries or bm25 here), and a prefix index for 3-letter
# prefixes (a longer prefix has few words in range, a shorter one is matched exactly).
# ``_`` is a word character, for the title marks (``TITLE_MARK``).
FTS5 = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "words, tokenize = \"ascii tokenchars '_'\", detail = none, columnsize = 0, prefix = '3')"
)
# Each title word (name, organisation, type) is stored a second time with this mark in
# front ("legal" and "_legal"), so the full-text index alone can tell whether a query word
# is in the title (relevance, ``mend.search.tiers``). Words hold only [a-z0-9]
# (``mend.search.text``): no word and no prefix of one can start with the mark.
TITLE_MARK = "_"
# A prefix that stands for at most this many stored words is asked as those words
# (``fts5_prefix``), found in WORDS.
PREFIX_WORDS = 4
# SQLite: every word the full-text table has been given since its last full rebuild, the
# key of a plain table, so that a prefix's words are a range of it (microseconds). FTS5's
# own vocabulary table reads each word's whole list to count its entries: 11 ms of a
# two-word search at a million entries. A word whose entries are all gone stays: asked
# exactly, it matches nothing; the answer is the same.
WORDS = "search_searchword"
WORDS_TABLE = f"CREATE TABLE {WORDS} (term TEXT PRIMARY KEY) WITHOUT ROWID"
VOCABULARY = f"CREATE VIRTUAL TABLE temp.search_vocabulary USING fts5vocab(main, {TABLE}, row)"
_stored_words: ContextVar[dict[tuple[str, int], list[str] | None] | None] = ContextVar(
    "stored_words", default=None
)
GIN = f"CREATE INDEX search_searchtext_words_gin ON {TABLE} USING gin (words)"


def document(tokens: Iterable[str], title: Iterable[str] = ()) -> str:
    """The stored words and the ``title`` words again with the title mark, sorted:
    space-delimited, with a space at each end so that a per-row LIKE '% word%' finds a
    word at the start too (and never a marked one: the mark stands between)."""
    words = sorted([*tokens, *(TITLE_MARK + word for word in title)])
    return " " + " ".join(words) + " "


# --- queries --------------------------------------------------------------------------------


def fts5_query(words: Iterable[str]) -> str:
    """FTS5: ``"word"*`` is a prefix, ``"ab"`` exact; terms side by side are AND. Words
    hold only [a-z0-9] (``mend.search.text``), so quoting is all the escaping needed. A
    prefix is asked as the few stored words it stands for when it can (``fts5_prefix``)."""
    return " AND ".join(fts5_prefix(w) if len(w) >= 3 else f'"{w}"' for w in words)


def fts5_prefix(prefix: str) -> str:
    """``"prefix"*``, or the same question as the stored words that start with it,
    asked exactly: FTS5 answers a prefix by first merging every such word's list of
    entries into a new one, and reads an exact word's list in place, 3 to 5 times faster
    (docs/performance.md, "Session 7"). Only up to PREFIX_WORDS words: more are merged
    by FTS5 as before. No stored word: an exact word, which matches nothing either."""
    stored = _words_starting(prefix, PREFIX_WORDS)
    if stored is None:
        return f'"{prefix}"*'
    if len(stored) <= 1:
        return f'"{stored[0] if stored else prefix}"'
    return "(" + " OR ".join(f'"{word}"' for word in stored) + ")"


@contextmanager
def one_search() -> Iterator[None]:
    """Within this block, the stored words of a prefix are looked up once (a search
    asks the same prefixes for its count and each tier); never across searches, so that
    a word stored since is always found."""
    token = _stored_words.set({})
    try:
        yield
    finally:
        _stored_words.reset(token)


def _words_starting(prefix: str, most: int) -> list[str] | None:
    """The stored words that start with ``prefix`` (marked ones for a marked prefix),
    or None when there are more than ``most``."""
    memo = _stored_words.get()
    if memo is not None and (prefix, most) in memo:
        return memo[prefix, most]
    with connection.cursor() as cursor:
        # Words and marks are [a-z0-9_], all before "{": the words in the prefix's range.
        cursor.execute(
            f"SELECT term FROM {WORDS} WHERE term >= %s AND term < %s LIMIT %s",  # noqa: S608
            [prefix, prefix + "{", most + 1],
        )
        found: list[str] | None = [row[0] for row in cursor.fetchall()]
    if found is not None and len(found) > most:
        found = None
    if memo is not None:
        memo[prefix, most] = found
    return found


def tsquery(words: Iterable[str]) -> str:
    """A PostgreSQL ``tsquery`` literal with the same meaning: ``'word':*`` a prefix."""
    return " & ".join(f"'{w}':*" if len(w) >= 3 else f"'{w}'" for w in words)


def tier_query(words: tuple[str, ...], titled: int) -> str:
    """The full-text question for the entries that have every word and exactly
    ``titled`` of them in the title (a title word that starts with it, whatever its
    length: the relevance rule), for the database in use: one alternative per way to
    choose those words, each with its words marked and the others' marks excluded.

    A marked word of three letters or more stands for the word itself too (every title
    word is also stored unmarked, and a prefix of it matches either way), so it is not
    asked twice: the best tier of "legal advice" is only ``"_legal"* AND "_advice"*``,
    whose doclists are shorter than the words'. A shorter word is exact in the words
    but a prefix in the title, so both are asked."""
    pg = connection.vendor == "postgresql"
    plain = [tsquery((word,)) if pg else fts5_query((word,)) for word in words]
    marked = [_prefix(TITLE_MARK + word, pg) for word in words]
    alternatives = []
    for chosen in combinations(range(len(words)), titled):
        inside = [marked[i] for i in chosen]
        inside += [plain[i] for i in range(len(words)) if i not in chosen or len(words[i]) < 3]
        outside = [marked[i] for i in range(len(words)) if i not in chosen]
        alternatives.append((inside, outside))
    return _tier_tsquery(alternatives) if pg else _tier_fts5(alternatives)


def _prefix(word: str, pg: bool) -> str:
    return f"'{word}':*" if pg else fts5_prefix(word)


def _tier_tsquery(alternatives: list[tuple[list[str], list[str]]]) -> str:
    either = [
        " & ".join([*inside, *(f"!{term}" for term in outside)]) for inside, outside in alternatives
    ]
    return " | ".join(f"({one})" for one in either)


def _tier_fts5(alternatives: list[tuple[list[str], list[str]]]) -> str:
    # FTS5's NOT is binary ("a NOT b"); every alternative has at least one word to ask.
    either = []
    for inside, outside in alternatives:
        one = " AND ".join(inside)
        either.append(f"(({one}) NOT ({' OR '.join(outside)}))" if outside else f"({one})")
    return " OR ".join(either)


def tier_check(words: tuple[str, ...], titled: int) -> RawSQL:
    """A condition on one ``SearchText`` row (found by primary key): the entry has
    every word and exactly ``titled`` of them in the title. PostgreSQL reads the row's
    ``tsvector``; SQLite looks for each word in the stored string (``instr``: a per-row
    MATCH would merge the prefixes' doclists again for every row)."""
    if connection.vendor == "postgresql":
        return RawSQL("words @@ %s::tsquery", [tier_query(words, titled)], BooleanField())
    every = " AND ".join(["instr(words, %s) > 0"] * len(words))
    titles = " + ".join(["(instr(words, %s) > 0)"] * len(words))
    found = [f" {word} " if len(word) < 3 else f" {word}" for word in words]
    marked = [f" {TITLE_MARK}{word}" for word in words]
    return RawSQL(f"{every} AND {titles} = %s", [*found, *marked, titled], BooleanField())  # noqa: S611


def matching(words: tuple[str, ...], *, per_row: bool) -> Q | Exists:
    """Entries (``SearchEntry`` rows) that have every word in ``words``."""
    if per_row:
        return Exists(texts_with(words).filter(pk=OuterRef("pk")))
    return listed_by(_query(words))


def listed_by(query: str) -> Q:
    """Entries the full-text index lists for ``query`` (made by this module).

    PostgreSQL gets the ids as one array (``id = ANY(ARRAY(...))``): given ``id IN
    (...)`` its planner, expecting one entry in eight to match, sorted every entry by
    relevance and probed each in turn (420 ms at 100,000 entries, the sort spilling to
    disk); with the array it sorts only the matches (docs/performance.md)."""
    if connection.vendor == "postgresql":
        listed = f"{ENTRY_ID} = ANY(ARRAY({_driving_sql()}))"
        return Q(RawSQL(listed, [query], BooleanField()))  # noqa: S611 (constant SQL)
    return Q(pk__in=RawSQL(_driving_sql(), [query]))  # noqa: S611 (constant SQL)


def texts_with(words: tuple[str, ...]) -> QuerySet[SearchText]:
    """``SearchText`` rows with every word, checked row by row (for a few known ids)."""
    texts = SearchText.objects.all()
    if connection.vendor == "postgresql":
        return texts.filter(RawSQL("words @@ %s::tsquery", [tsquery(words)], BooleanField()))
    for word in words:
        texts = texts.filter(words__contains=f" {word} " if len(word) < 3 else f" {word}")
    return texts


def count_matching(words: tuple[str, ...]) -> int:
    """How many entries have every word, from the full-text index alone."""
    return count_listed(_query(words))


def count_listed(query: str) -> int:
    """How many entries the full-text index lists for ``query`` (made by this module)."""
    if connection.vendor == "postgresql":
        condition = RawSQL("words @@ %s::tsquery", [query], BooleanField())
    else:
        # The table's name is a constant, the query a parameter.
        condition = RawSQL(f"{TABLE} MATCH %s", [query], BooleanField())  # noqa: S611
    return SearchText.objects.filter(condition).count()


def having_words(pks: list[int], words: tuple[str, ...]) -> set[int]:
    """Which of ``pks`` have every word, asked in one statement (the ids as one JSON
    array on SQLite, whatever their number): each entry checks its own stored words, a
    primary-key lookup each (the entries changed since the search file was written)."""
    if not pks:
        return set()
    if connection.vendor == "postgresql":
        sql = f"SELECT rowid FROM {TABLE} WHERE rowid = ANY(%s) AND words @@ %s::tsquery"  # noqa: S608
        params: list[Any] = [sorted(pks), tsquery(words)]
    else:
        # instr on the stored string, as ``texts_with`` (the words are [a-z0-9] only).
        every = " AND ".join(["instr(words, %s) > 0"] * len(words))
        among = "rowid IN (SELECT value FROM json_each(%s))"
        sql = f"SELECT rowid FROM {TABLE} WHERE {among} AND {every}"  # noqa: S608
        found = [f" {word} " if len(word) < 3 else f" {word}" for word in words]
        params = [json.dumps(sorted(pks)), *found]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _query(words: tuple[str, ...]) -> str:
    return tsquery(words) if connection.vendor == "postgresql" else fts5_query(words)


def _driving_sql() -> str:
    if connection.vendor == "postgresql":
        return f"SELECT rowid FROM {TABLE} WHERE words @@ %s::tsquery"  # noqa: S608
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608


def stored_words(pk: int) -> set[str]:
    """The words stored for entry ``pk`` (empty when it has none), as the indexer wrote
    them, without the marked title words."""
    return {word for word in _stored(pk) if not word.startswith(TITLE_MARK)}


def stored_title_words(pk: int) -> set[str]:
    """The title words stored for entry ``pk``, without their mark."""
    return {word[len(TITLE_MARK) :] for word in _stored(pk) if word.startswith(TITLE_MARK)}


def words_as_text(db: BaseDatabaseWrapper) -> str:
    """The SQL of a row's stored words as space-delimited text: PostgreSQL prints a
    tsvector quoted, so it is asked for the bare lexemes."""
    if db.vendor == "postgresql":
        return "array_to_string(tsvector_to_array(words), ' ')"
    return "words"


def _stored(pk: int) -> list[str]:
    with connection.cursor() as cursor:
        column = words_as_text(connection)
        cursor.execute(f"SELECT {column} FROM {TABLE} WHERE rowid = %s", [pk])  # noqa: S608
        row: Any = cursor.fetchone()
    return row[0].split() if row else []


# --- writing --------------------------------------------------------------------------------


def insert(
    rows: list[tuple[int, str]], db: BaseDatabaseWrapper | None = None, *, words: bool = True
) -> None:
    """Store ``(entry id, document)`` rows: plain multi-row INSERTs, as the indexer's
    other small rows (a model instance per row is several times slower). On SQLite their
    words join WORDS, unless ``words`` is False: a full rebuild makes WORDS once at the
    end (``store_every_word``), cheaper than adding each chunk's."""
    db = db or connection
    if db.vendor == "postgresql":
        _copy(rows, db)
        return
    value = "(%s, %s)"
    with db.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            values = ", ".join([value] * len(batch))
            sql = f"INSERT INTO {TABLE} (rowid, words) VALUES {values}"  # noqa: S608
            cursor.execute(sql, [item for row in batch for item in row])
        if words:
            stored = {word for _, document in rows for word in document.split()}
            sql = f"INSERT OR IGNORE INTO {WORDS} (term) VALUES (%s)"  # noqa: S608
            cursor.executemany(sql, [(word,) for word in stored])


def store_every_word(db: BaseDatabaseWrapper | None = None) -> None:
    """SQLite: WORDS made again from every word the full-text table holds, read from
    FTS5's vocabulary in one pass (4 s at a million entries)."""
    db = db or connection
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WORDS}")  # noqa: S608
        cursor.execute(VOCABULARY)
        cursor.execute(f"INSERT INTO {WORDS} (term) SELECT term FROM temp.search_vocabulary")  # noqa: S608
        cursor.execute("DROP TABLE temp.search_vocabulary")


def _copy(rows: list[tuple[int, str]], db: BaseDatabaseWrapper) -> None:
    """PostgreSQL: COPY, which parses each document as a ``tsvector`` (as the cast of an
    INSERT does) without a statement's parameters to parse first."""
    with (
        db.cursor() as cursor,
        cursor.cursor.copy(f"COPY {TABLE} (rowid, words) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def clear() -> None:
    """Remove every row. On SQLite a DELETE makes FTS5 read back and unindex each row's
    words; dropping and recreating the table (inside the rebuild's transaction) is
    immediate. PostgreSQL deletes, so searches read the old rows until the commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(FTS5)  # WORDS is made again after the rows (store_every_word)
        else:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


# --- the table itself -----------------------------------------------------------------------


def ensure_table(db: BaseDatabaseWrapper) -> None:
    """Turn the plain table Django creates for ``SearchText`` (by a migration or by
    ``migrate --run-syncdb``) into the full-text table; does nothing when it already is
    one. Called by the migration and after every ``migrate``."""
    if db.vendor == "sqlite":
        _ensure_fts5(db)
    elif db.vendor == "postgresql":
        _ensure_tsvector(db)


def ensure_words(db: BaseDatabaseWrapper) -> None:
    """SQLite: make WORDS, from the words the full-text table holds, when it is missing
    (migration 0008, and after every ``migrate``, as ``ensure_table``)."""
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s)", [TABLE, WORDS])
        if {row[0] for row in cursor.fetchall()} != {TABLE}:
            return  # made already, or no full-text table yet
        cursor.execute(WORDS_TABLE)
    store_every_word(db)


def _ensure_fts5(db: BaseDatabaseWrapper) -> None:
    with db.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [TABLE])
        row: Any = cursor.fetchone()
        if row is None or row[0].upper().startswith("CREATE VIRTUAL TABLE"):
            return
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(FTS5)


def _ensure_tsvector(db: BaseDatabaseWrapper) -> None:
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s AND column_name = 'words'",
            [TABLE],
        )
        row: Any = cursor.fetchone()
        if row is None or row[0] == "tsvector":
            return
        cursor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN words TYPE tsvector USING words::tsvector"
        )
        cursor.execute(GIN)
