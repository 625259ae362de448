"""Query parameters that read the common request without pydantic, and every other
request exactly as ninja's ``Query`` does.

``filters: Annotated[Filters, QuickQuery()]`` declares the parameters as ``Query[Filters]``
does (the OpenAPI document is the same: the parameters' source is still "query"). A request
whose every parameter is plainly valid (a field of a type listed in ``reader``, one value
unless the field is a list, no control character, every length and bound met, written in
the one spelling read here: ``7`` not ``07``, ``true`` not ``on``) is read by a plan made
once per schema, as ``Filters.model_construct(...)``. Any other request, and every refusal,
goes through ninja's own validation as before: same values, same errors.

What it guarantees: for a request the plan reads, the values are those that
``Filters.model_validate`` gives (``mend/tests/test_quickquery.py`` compares the two
over many generated requests); a field whose type or validators the plan does not know
(a UUID, a date, an ``AfterValidator``) is never read by it. Why: on the search API,
ninja's validation of the two dozen filters was a quarter of what a search request cost
beyond a trivial one (docs/performance.md, session 7).

It reads no field that has a validator of the schema's own, except the one it mirrors:
``no_control_characters`` (a field validator named so, on every field), which refuses a
value containing a character below U+0020 (mend.lib.text, the rule both read); such a
value is left to pydantic, which refuses it.

This module imports no app of Mend (checked by mend/tests/test_import_layers.py).
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable
from typing import Any, Literal, Union, get_args, get_origin
from urllib.parse import parse_qsl

from annotated_types import Ge, Gt, Le, Lt, MaxLen
from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.params.models import Query, QueryModel
from pydantic.fields import FieldInfo

from mend.lib.text import CONTROL

Reader = Callable[[str], Any]
NOT_READ = object()  # a value the plan leaves to pydantic
INTEGER = re.compile(r"(0|-?[1-9][0-9]{0,8})")
DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,5})(\.[0-9]{1,12})?")
BOOLEANS = {"true": True, "false": False}
# The field validators the plan mirrors: it leaves a value with a control character to
# pydantic (which refuses it), and reads the others as the validator passes them.
MIRRORED = frozenset({"no_control_characters"})
# ninja's root validator (or one replacing it under that name) hands a dict on as it is.
ROOT = frozenset({"_run_root_validator"})


class QuickQueryModel(QueryModel):
    """The parameters model ninja makes for an endpoint from ``QuickQuery`` arguments."""

    @classmethod
    def resolve(cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]) -> Any:
        read = quick_values(cls, request)
        if read is not None:
            return read
        return super().resolve(request, api, path_params)


class QuickQuery(Query):  # type: ignore[misc]  # ninja's Param is a pydantic FieldInfo
    """``Query()``, read by ``QuickQueryModel``."""

    _model = QuickQueryModel

    def __init__(self) -> None:
        super().__init__(...)

    @classmethod
    def _param_source(cls) -> str:
        return "query"  # the OpenAPI "in" (ninja would take the class name)


def quick_values(params_model: type[QueryModel], request: HttpRequest) -> dict[str, Any] | None:
    """``{argument: schema instance}`` for a request the plan reads, else None. Only an
    endpoint with one such argument, a schema, is read (any other: None, always)."""
    fields = params_model.model_fields
    if len(fields) != 1:
        return None
    ((argument, info),) = fields.items()
    schema = info.annotation
    if not (isinstance(schema, type) and issubclass(schema, Schema)):
        return None
    readers = plan(schema)
    values: dict[str, Any] = {}
    for name, given in query_lists(request).items():
        reader = readers.get(name)
        if reader is None:
            return None
        value = reader(given)
        if value is NOT_READ:
            return None
        values[name] = value
    return {argument: _construct(schema, values)}


QUERY_LISTS = "_mend_query_lists"  # where ``query_lists`` keeps its parse on the request


def query_lists(request: HttpRequest) -> dict[str, list[str]]:
    """The query string's parameters, each name with its values in order: what
    ``request.GET.lists()`` gives. A plain ASCII query string (a browser percent-encodes
    the rest) is parsed as QueryDict parses it, without building one (half the cost of
    reading the search API's filters); any other goes through ``request.GET``. Kept on the
    request: the API reads it twice (``mend.findhelp.api.only_known``)."""
    found = vars(request).get(QUERY_LISTS)
    if found is None:
        found = vars(request)[QUERY_LISTS] = _parsed(request)
    return found


def _parsed(request: HttpRequest) -> dict[str, list[str]]:
    query = request.META.get("QUERY_STRING", "")
    plain = (
        "GET" not in vars(request)  # else already parsed: taken as it is
        and isinstance(query, str)
        and query.isascii()  # the same text whether decoded as UTF-8 or as WSGI's Latin-1
        and request.encoding is None
        and settings.DEFAULT_CHARSET.lower() == "utf-8"
    )
    if plain:
        try:
            pairs = parse_qsl(
                query,
                keep_blank_values=True,
                encoding="utf-8",
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError:  # too many fields: QueryDict refuses the request, as it should
            pass
        else:
            lists: dict[str, list[str]] = {}
            for name, value in pairs:
                lists.setdefault(name, []).append(value)
            return lists
    return dict(request.GET.lists())


def _construct(schema: type[Schema], values: dict[str, Any]) -> Schema:
    """``schema.model_construct(**values)``: each default handed in rather than looked up
    and copied field by field, and for a plain schema (no alias, no private attribute,
    no post-init, extra values ignored: ``_bare_model``) the instance's attributes set as
    ``model_construct`` sets them, without its walk over every field (the search API's
    two dozen filters cost more than the rest of reading its query): the same values,
    the same fields set."""
    defaults = _defaults(schema)
    if defaults is None:
        return schema.model_construct(**values)
    plain, lists = defaults
    filled = plain | values
    for name in lists - values.keys():
        filled[name] = []  # a new list each time, as pydantic's copy of the default
    if not _bare_model(schema):
        return schema.model_construct(set(values), **filled)
    model = schema.__new__(schema)
    object.__setattr__(model, "__dict__", filled)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


@functools.cache
def _bare_model(schema: type[Schema]) -> bool:
    """Whether ``model_construct`` would set no more than ``_construct`` sets: the four
    attributes, with no extra values kept and nothing run after (pydantic gives a schema
    with private attributes a post-init, which sets them)."""
    return schema.model_config.get("extra") != "allow" and not schema.__pydantic_post_init__


@functools.cache
def _defaults(schema: type[Schema]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """Each field's default when every field has a plain one (None, text, a number, a
    boolean, or an empty list, named apart): else None, and pydantic fills them in."""
    plain: dict[str, Any] = {}
    lists = set()
    for name, info in schema.model_fields.items():
        value = info.default
        if info.is_required() or info.default_factory is not None or info.alias not in (None, name):
            return None
        if type(value) is list and not value:
            lists.add(name)
        elif value is not None and type(value) not in (str, int, float, bool):
            return None
        plain[name] = value
    return plain, frozenset(lists)


@functools.cache
def plan(schema: type[Schema]) -> dict[str, Callable[[list[str]], Any]]:
    """How to read each field of ``schema`` that the plan knows, by its name."""
    readers: dict[str, Callable[[list[str]], Any]] = {}
    decorators = schema.__pydantic_decorators__
    unknown = set(decorators.field_validators) - MIRRORED
    if unknown or set(decorators.model_validators) - ROOT or decorators.field_serializers:
        return readers  # a validator the plan does not mirror: pydantic reads every request
    for name, info in schema.model_fields.items():
        if info.alias not in (None, name):
            continue
        one = reader(info)
        if one is None:
            continue
        if get_origin(_bare(info.annotation)) is list:
            readers[name] = functools.partial(_many, one)
        else:
            readers[name] = functools.partial(_once, one)
    return readers


def _once(read: Reader, given: list[str]) -> Any:
    if len(given) != 1 or CONTROL.search(given[0]):
        return NOT_READ
    return read(given[0])


def _many(read: Reader, given: list[str]) -> Any:
    values = []
    for text in given:
        value = NOT_READ if CONTROL.search(text) else read(text)
        if value is NOT_READ:
            return NOT_READ
        values.append(value)
    return values


def reader(info: FieldInfo) -> Reader | None:
    """How to read one text for this field, or None: the plan does not read it."""
    kind = _bare(info.annotation)
    if get_origin(kind) is list:
        (kind,) = get_args(kind)
        if info.metadata:
            return None
    limits = {type(m): m for m in info.metadata}
    if not set(limits) <= {Ge, Gt, Le, Lt, MaxLen}:
        return None  # a validator or constraint the plan does not mirror
    if kind is str:
        longest = limits[MaxLen].max_length if MaxLen in limits else None
        return functools.partial(_text, longest)
    if kind is bool and not limits:
        return _boolean
    if kind in (int, float) and MaxLen not in limits:
        pattern, convert = (INTEGER, int) if kind is int else (DECIMAL, float)
        return functools.partial(_number, pattern, convert, _bounds(limits))
    if get_origin(kind) is Literal and not limits:
        options = get_args(kind)
        if all(type(option) is str for option in options):
            return functools.partial(_choice, frozenset(options))
    return None


def _bare(annotation: Any) -> Any:
    """``X`` for ``X | None``; anything else as it is."""
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [k for k in get_args(annotation) if k is not type(None)]
        if len(kinds) == 1:
            return kinds[0]
    return annotation


def _bounds(limits: dict[type, Any]) -> Callable[[float], bool]:
    ge, gt = limits.get(Ge), limits.get(Gt)
    le, lt = limits.get(Le), limits.get(Lt)

    def within(value: float) -> bool:
        return (
            (ge is None or value >= ge.ge)
            and (gt is None or value > gt.gt)
            and (le is None or value <= le.le)
            and (lt is None or value < lt.lt)
        )

    return within


def _text(longest: int | None, text: str) -> Any:
    return text if longest is None or len(text) <= longest else NOT_READ


def _boolean(text: str) -> Any:
    return BOOLEANS.get(text, NOT_READ)


def _number(
    pattern: re.Pattern[str],
    convert: Callable[[str], float],
    within: Callable[[float], bool],
    text: str,
) -> Any:
    if not pattern.fullmatch(text):
        return NOT_READ
    value = convert(text)
    return value if within(value) else NOT_READ


def _choice(options: frozenset[str], text: str) -> Any:
    return text if text in options else NOT_READ
