"""The one rule for the text a request names things with: no control characters.

A username, a search word or a place is one line of text that a person typed, so none of
them needs a character below U+0020 (NUL, tab, a line break, escape). Refusing them where
the request is read keeps one answer on every database: PostgreSQL refuses a NUL in any
text it is sent (a ``DataError``, a 500 if it got that far) where SQLite compares it and
finds nothing. A request body declares such a field with the type::

    class LogInIn(Strict):
        username: OneLine = Field(max_length=150)

and a value holding a control character is refused by validation (422 naming the field,
through the API's one handler, mend.lib.refusal). A validator that reads another shape
(the HSDS API's query parameters, strings and lists of strings) applies the same rule
with ``has_control_characters``; mend.lib.quickquery mirrors it with ``CONTROL``.

Not covered: Django forms, whose ``CharField`` already refuses a NUL (but not the other
control characters); text the server never queries with (ciphertexts, base64, hex) is
held to its own stricter encoding (mend.lib.wire).

This module imports no app of Mend (checked by mend/tests/test_import_layers.py).
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from pydantic import AfterValidator

#: A character below U+0020.
CONTROL: Final = re.compile(r"[\x00-\x1f]")
CONTROL_MESSAGE: Final = "must not contain control characters"


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def no_control_characters(text: str) -> str:
    """``text`` as it is; ValueError (which pydantic reports as invalid) when it holds a
    control character."""
    if has_control_characters(text):
        raise ValueError(CONTROL_MESSAGE)
    return text


#: One line of text that a person typed: a str without control characters.
OneLine = Annotated[str, AfterValidator(no_control_characters)]
