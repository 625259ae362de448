"""The JSON API, versioned under /api/v1/ (OpenAPI schema at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

from mend.accounts.api import router as accounts_router
from mend.certificates.api import router as certificates_router
from mend.counselor.api import router as counselor_router
from mend.dialogue.api import router as dialogue_router
from mend.dialogue.api_join import router as dialogue_join_router
from mend.escrow.api import router as escrow_router
from mend.findhelp.api import mount as mount_hsds
from mend.findhelp.api import refusal_for
from mend.leave.api import router as leave_router
from mend.lib import refusal
from mend.vault.api import receipts_router, vault_router

api = NinjaAPI(
    title="Mend API",
    version="1",
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs page loads scripts from a CDN; we serve none
)
refusal.install(api, validation=refusal_for)  # HSDS answers 400 naming the parameter


@api.get("/ping", include_in_schema=False)
def ping(request: object) -> dict[str, str]:
    """A trivial endpoint: the baseline that bench/ compares the search API with."""
    return {"status": "ok"}


# The HSDS directory API at /api/v1/hsds/, first: the public search is the busiest path,
# and Django tries the URL patterns in order.
mount_hsds(api)
api.add_router("/accounts/", accounts_router)
api.add_router("/vault/", vault_router)
api.add_router("/receipts/", receipts_router)
api.add_router("/escrow/", escrow_router)
api.add_router("/counselor/", counselor_router)
api.add_router("/leave/", leave_router)
api.add_router("/certificates/", certificates_router)
api.add_router("/dialogue/", dialogue_router)
api.add_router("/dialogue/", dialogue_join_router)
