"""What a public export withholds: the one door every exported row passes through.

Guarantee: unless ``include_private`` is set (an operator's full backup), no exported
row reveals where a location whose ``address_visibility`` is not ``public`` is: its
addresses are dropped, and so are its latitude, longitude, directions
(``transportation``, also in translations) and external identifiers (a UPRN or a
what3words name pins a building). An address whose location cannot be found is
dropped too (fail closed), as are metadata rows about withheld places (their previous
values may hold an old address) and attributes linked to withheld addresses.

Not covered: free text an editor writes (a description that names the street). The
admin says so beside the field.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mend.directory.models import Address, AddressVisibility, Location

PRIVATE_LOCATION_FIELDS = (
    "latitude",
    "longitude",
    "transportation",
    "external_identifier",
    "external_identifier_type",
)
PLACE_TYPES = frozenset({"location", "address"})


@dataclass
class Privacy:
    include_private: bool
    private_locations: frozenset[uuid.UUID] = frozenset()
    withheld_addresses: frozenset[uuid.UUID] = frozenset()
    shown_places: frozenset[uuid.UUID] = frozenset()
    withheld: Counter[str] = field(default_factory=Counter)

    @classmethod
    def load(cls, include_private: bool) -> Privacy:
        if include_private:
            return cls(include_private=True)
        locations = dict(Location.objects.values_list("id", "address_visibility"))
        public = {pk for pk, seen in locations.items() if seen == AddressVisibility.PUBLIC}
        addresses = dict(Address.objects.values_list("id", "location_id"))
        shown = {pk for pk, location in addresses.items() if location in public}
        return cls(
            include_private=False,
            private_locations=frozenset(locations.keys() - public),
            withheld_addresses=frozenset(addresses.keys() - shown),
            shown_places=frozenset(public | shown),
        )

    def redact(self, table: str, row: dict[str, Any]) -> dict[str, Any] | None:
        """The row as it may be published, or None when it may not be at all."""
        if self.include_private:
            return row
        if table == "location" and row["id"] in self.private_locations:
            self.withheld["location positions"] += 1
            return redacted_location(row)
        if table == "address" and row["id"] in self.withheld_addresses:
            self.withheld["addresses"] += 1
            return None
        if table == "metadata" and self.is_withheld_place(row["resource_id"], row["resource_type"]):
            self.withheld["metadata"] += 1
            return None
        if table == "attribute" and row["link_id"] in self.withheld_addresses:
            self.withheld["attributes"] += 1
            return None
        return row

    def is_withheld_place(self, resource_id: uuid.UUID | None, resource_type: str) -> bool:
        if resource_id in self.private_locations or resource_id in self.withheld_addresses:
            return True
        return resource_type.lower() in PLACE_TYPES and resource_id not in self.shown_places


def redacted_location(row: dict[str, Any]) -> dict[str, Any]:
    kept = {name: value for name, value in row.items() if name not in PRIVATE_LOCATION_FIELDS}
    kept.update(dict.fromkeys(PRIVATE_LOCATION_FIELDS))
    translations = row.get("translations") or {}
    kept["translations"] = {
        language: {k: v for k, v in texts.items() if k not in PRIVATE_LOCATION_FIELDS}
        for language, texts in translations.items()
        if isinstance(texts, dict)
    }
    return kept
