"""QuickQuery reads a plainly valid request as pydantic would, and leaves any other to it.

The search API's parameters (mend.findhelp.api) are read by ``mend.lib.quickquery``'s plan
when every value is plain; these tests compare what the plan reads with what
``model_validate`` gives, over many generated requests, and check that every value the
plan does not read is left to ninja's validation (so its 400s stay as they were).
"""

from __future__ import annotations

import random
from typing import Annotated, Any
from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.test import RequestFactory, SimpleTestCase
from ninja import Field, NinjaAPI, Router, Schema
from pydantic import ConfigDict, PrivateAttr, field_validator

from mend.findhelp.api import SearchFilters, ServiceFilters
from mend.lib.quickquery import QuickQuery, QuickQueryModel, plan, query_lists, quick_values

# Texts for every kind of field: plain ones the plan reads, and spellings it leaves.
SAMPLES = (
    *("", "0", "1", "7", "20", "100", "101", "100000", "100001", "-1", "07", "1.0", "1e3"),
    *("40000", "500000", "500001", "-90", "90", "90.5", "-180.0", "12.3456", "0.0001"),
    *("true", "false", "True", "on", "1", "yes", "json", "ndjson", "distance", "name"),
    *("relevance", "size", "10001", "62701", "Springfield, IL", "x" * 10, "x" * 11),
    *("x" * 100, "x" * 101, "x" * 200, "x" * 201, "counseling", "es", "ES", "legal"),
    *("tab\there", "nul\x00", "é", " 10001 ", "0" * 8 + "-0000-0000-0000-" + "0" * 12),
    *("2026-01-01T10:00:00", "nan", "inf", "-0", "00"),
)


def params_model(schema: type[Schema]) -> type[QuickQueryModel]:
    """The model ninja makes for ``filters: Annotated[schema, QuickQuery()]``."""
    router = Router()

    def view(request: Any, filters: Any) -> None:
        return None

    # Set as objects: a string annotation could not name this function's ``schema``.
    view.__annotations__ = {"request": Any, "filters": Annotated[schema, QuickQuery()]}
    router.get("/x")(view)
    NinjaAPI(urls_namespace=f"quick-{schema.__name__}").add_router("/", router)
    ((operation,),) = [view.operations for view in router.path_operations.values()]
    (model,) = operation.models
    assert isinstance(model, type)
    assert issubclass(model, QuickQueryModel)
    return model


class QuickQueryTests(SimpleTestCase):
    def check_same_as_pydantic(self, schema: type[Schema], requests: int) -> int:
        """Generated requests: what the plan reads equals ``model_validate``'s result (and
        its fields set); returns how many it read."""
        rng = random.Random(5)
        model = params_model(schema)
        names = [*schema.model_fields, "unknown"]
        read = 0
        for _ in range(requests):
            pairs = [(rng.choice(names), rng.choice(SAMPLES)) for _ in range(rng.randint(0, 4))]
            request = RequestFactory().get("/x", pairs)
            got = quick_values(model, request)
            if got is None:
                continue
            read += 1
            given = {k: request.GET.getlist(k) for k in request.GET}
            data = {
                k: v if k in ("type", "language", "eligibility", "accessibility") else v[-1]
                for k, v in given.items()
            }
            expected = schema.model_validate(data)
            with self.subTest(query=urlencode(pairs)):
                self.assertEqual(got["filters"].model_dump(), expected.model_dump())
                self.assertEqual(got["filters"], expected)  # private and extra values too
                self.assertEqual(got["filters"].model_fields_set, expected.model_fields_set)
                for name in schema.model_fields:
                    self.assertIs(
                        type(getattr(got["filters"], name)), type(getattr(expected, name))
                    )
        return read

    def test_it_reads_the_search_filters_as_pydantic_does(self) -> None:
        read = self.check_same_as_pydantic(SearchFilters, 3000)
        self.assertGreater(read, 300)  # the comparison is not empty

    def test_it_reads_the_service_filters_as_pydantic_does(self) -> None:
        read = self.check_same_as_pydantic(ServiceFilters, 3000)
        self.assertGreater(read, 300)

    def test_it_reads_the_bench_search(self) -> None:
        request = RequestFactory().get(
            "/x", {"postcode": "10001", "proximity": "40000", "type": "legal"}
        )
        got = quick_values(params_model(SearchFilters), request)
        assert got is not None
        filters = got["filters"]
        self.assertEqual(
            (filters.postcode, filters.proximity, filters.type), ("10001", 40000, ["legal"])
        )
        self.assertEqual((filters.page, filters.per_page, filters.include_remote), (1, 20, True))

    def test_it_leaves_every_other_request_to_pydantic(self) -> None:
        model = params_model(SearchFilters)
        for pairs in (
            {"postcode": "1000\x01"},  # a control character: refused by the validator
            {"page": "07"},  # another spelling of a number
            {"free": "on"},  # another spelling of true
            {"per_page": "101"},  # out of bounds
            {"place": "x" * 101},  # too long
            {"organization_id": "0" * 8 + "-0000-0000-0000-" + "0" * 12},  # a UUID
            {"open_at": "2026-01-01T10:00:00"},  # a date and time
            {"full": "false"},  # a validator of its own
            {"colour": "red"},  # no such parameter
            {"postcode": ["10001", "10002"]},  # twice
        ):
            with self.subTest(pairs=pairs):
                request = RequestFactory().get("/x", pairs)
                self.assertIsNone(quick_values(model, request))

    def test_it_reads_nothing_of_a_schema_with_a_validator_it_does_not_mirror(self) -> None:
        class Checked(Schema):
            name: str = Field("", max_length=10)

            @field_validator("name")
            @classmethod
            def shout(cls, value: str) -> str:
                return value.upper()

        self.assertEqual(plan(Checked), {})
        request = RequestFactory().get("/x", {"name": "quiet"})
        self.assertIsNone(quick_values(params_model(Checked), request))

    def test_each_request_gets_lists_of_its_own(self) -> None:
        model = params_model(SearchFilters)
        first = quick_values(model, RequestFactory().get("/x", {"postcode": "10001"}))
        second = quick_values(model, RequestFactory().get("/x", {"postcode": "10002"}))
        assert first is not None
        assert second is not None
        first["filters"].type.append("legal")  # a caller that changes its own copy
        self.assertEqual((first["filters"].type, second["filters"].type), (["legal"], []))

    def test_a_schema_whose_defaults_are_made_by_a_factory_is_read_the_same(self) -> None:
        class Made(Schema):
            name: str = Field("", max_length=10)
            tags: list[str] = Field(default_factory=lambda: ["made"])

        request = RequestFactory().get("/x", {"name": "quiet"})
        got = quick_values(params_model(Made), request)
        assert got is not None
        self.assertEqual(got["filters"].model_dump(), {"name": "quiet", "tags": ["made"]})
        self.assertEqual(got["filters"].model_fields_set, {"name"})


# Query strings as clients send them, and as they should not: escapes of UTF-8 and of
# bytes that are not, pluses, blank and bare names, repeats, other separators, raw text.
QUERY_PIECES = (
    *("a=1", "a=2", "b=", "b", "=x", "c=%20x%2B", "c=x+y", "d=%C3%A9t%C3%A9", "d=%FF%FE"),
    *("e=%", "e=%2", "e=%zz", "&", "&&", "f=1;g=2", "h=a=b", "%61=1", "i=%00", "j=\xe9"),
    *("k=\u00e9t\u00e9", "l=\u20ac", "type=legal", "type=counseling", "postcode=10001"),
)


class TheQueryString(SimpleTestCase):
    def test_it_is_read_as_querydict_reads_it_plain_or_not(self) -> None:
        rng = random.Random(7)
        for case in range(2_000):
            query = "&".join(rng.choice(QUERY_PIECES) for _ in range(rng.randint(0, 6)))
            # WSGI hands the query string over as Latin-1 text (PEP 3333).
            raw = query.encode("utf-8", "surrogateescape").decode("latin-1")
            with self.subTest(case=case, query=query):
                request = RequestFactory().get("/x", QUERY_STRING=raw)
                expected = dict(RequestFactory().get("/x", QUERY_STRING=raw).GET.lists())
                self.assertEqual(query_lists(request), expected)
                if raw.isascii():  # read without building a QueryDict
                    self.assertNotIn("GET", vars(request))

    def test_too_many_fields_are_refused_as_querydict_refuses_them(self) -> None:
        with self.settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3):
            request = RequestFactory().get("/x", QUERY_STRING="a=1&a=2&b=3&c=4")
            with self.assertRaises(TooManyFieldsSent):
                query_lists(request)
            self.assertEqual(
                query_lists(RequestFactory().get("/x", {"a": ["1", "2"]})), {"a": ["1", "2"]}
            )

    def test_a_request_of_another_encoding_is_read_as_its_querydict(self) -> None:
        request = RequestFactory().get("/x", QUERY_STRING="name=%E9t%E9&n=1")
        request.encoding = "iso-8859-1"
        self.assertEqual(query_lists(request), {"name": ["été"], "n": ["1"]})
        self.assertIn("GET", vars(request))

    def test_it_is_read_once_a_request(self) -> None:
        request = RequestFactory().get("/x", {"a": "1"})
        self.assertIs(query_lists(request), query_lists(request))


class TheConstruction(SimpleTestCase):
    def test_a_schema_with_private_values_is_built_by_pydantic(self) -> None:
        class Kept(Schema):
            name: str = Field("", max_length=10)
            _seen: int = PrivateAttr(default=3)

        request = RequestFactory().get("/x", {"name": "quiet"})
        got = quick_values(params_model(Kept), request)
        assert got is not None
        self.assertEqual(got["filters"], Kept.model_validate({"name": "quiet"}))
        self.assertEqual(got["filters"]._seen, 3)

    def test_a_schema_with_a_post_init_is_built_by_pydantic(self) -> None:
        class Counted(Schema):
            name: str = Field("", max_length=10)

            def model_post_init(self, context: Any) -> None:
                object.__setattr__(self, "name", self.name.upper())

        request = RequestFactory().get("/x", {"name": "quiet"})
        got = quick_values(params_model(Counted), request)
        assert got is not None
        self.assertEqual(got["filters"].name, "QUIET")
        self.assertEqual(got["filters"], Counted.model_validate({"name": "quiet"}))

    def test_a_schema_that_keeps_extra_values_is_built_by_pydantic(self) -> None:
        class Open(Schema):
            model_config = ConfigDict(extra="allow")
            name: str = Field("", max_length=10)

        request = RequestFactory().get("/x", {"name": "quiet"})
        got = quick_values(params_model(Open), request)
        assert got is not None
        self.assertEqual(got["filters"], Open.model_construct(name="quiet"))
        self.assertEqual(got["filters"].__pydantic_extra__, {})
