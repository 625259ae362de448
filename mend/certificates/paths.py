"""Which module versions each learning path currently has, as the training app tells us.

Certificates sit below training (training imports this app, never the reverse), so the
training app registers one provider per path in its AppConfig.ready(); the staff rule then
knows when a module of a staff path changed materially (its version went up) and a
certificate that records the older version no longer counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mend.accounts.models import Role

#: The learning path (mend/training/content/paths.toml) each staff role must hold a current
#: certificate of before cases are assigned to her: escrow groups to counselors, dialogue
#: cases to facilitators.
COUNSELOR_PATH = "mend-counselors"
FACILITATOR_PATH = "mend-facilitators"
PATH_FOR_ROLE: Mapping[str, str] = {
    Role.COUNSELOR: COUNSELOR_PATH,
    Role.FACILITATOR: FACILITATOR_PATH,
}

_providers: dict[str, Callable[[], Mapping[str, int]]] = {}


def register_module_versions(path_id: str, provider: Callable[[], Mapping[str, int]]) -> None:
    """`provider()` gives {module id: current version} for every module of `path_id`."""
    _providers[path_id] = provider


def module_versions(path_id: str) -> Mapping[str, int] | None:
    """The current modules of `path_id`, or None while no provider is registered."""
    provider = _providers.get(path_id)
    return provider() if provider is not None else None
