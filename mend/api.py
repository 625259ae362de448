"""The JSON API, versioned under /api/v1/ (OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Mend API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs page loads scripts from a CDN; we serve none
)


@api.get("/ping", include_in_schema=False)
def ping(request: object) -> dict[str, str]:
    """A trivial endpoint: the baseline that bench/ compares the search API with."""
    return {"status": "ok"}
