"""The ISO 3166-2 subdivision codes the leave rules may use (from the standard's lists for
Canada, the United States and the United Kingdom). Country codes (ISO 3166-1) come from
CLDR through babel. A new country's subdivisions are added here with the rule file."""

from __future__ import annotations

CA = "AB BC MB NB NL NS NT NU ON PE QC SK YT"
US = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
)
# The United Kingdom's nations and its two aggregates (GB-GBN Great Britain, GB-UKM UK).
GB = "ENG NIR SCT WLS GBN UKM"

SUBDIVISIONS = frozenset(
    f"{country}-{code}"
    for country, codes in (("CA", CA), ("US", US), ("GB", GB))
    for code in codes.split()
)

#: Cities, as their UN/LOCODE location code after the subdivision (US-NY-NYC: New York).
CITIES = frozenset({"US-NY-NYC"})
