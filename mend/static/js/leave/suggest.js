// A place to start from, guessed in her browser from the device's time zone, only where
// a zone maps to one place Mend holds (America/New_York spans many states: no guess).
// Nothing is sent; she can change it.
const ZONES = {
  "Pacific/Auckland": "NZ",
  "Pacific/Chatham": "NZ",
  "Europe/Dublin": "IE",
  "Asia/Manila": "PH",
  "Europe/Belfast": "GB-NIR",
  "America/Regina": "CA-SK",
  "America/Swift_Current": "CA-SK",
  "America/Winnipeg": "CA-MB",
  "America/Edmonton": "CA-AB",
  "America/Vancouver": "CA-BC",
  "America/Whitehorse": "CA-YT",
  "America/Yellowknife": "CA-NT",
  "America/Iqaluit": "CA-NU",
  "America/St_Johns": "CA-NL",
  "America/Goose_Bay": "CA-NL",
  "America/Moncton": "CA-NB",
};

export function suggestedPlace(zone) {
  return ZONES[zone] ?? null;
}

// Preselect the guess in `select` if she has not chosen yet; returns whether it did.
export function preselect(select, hint) {
  if (select.value) return false;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const code = suggestedPlace(zone);
  if (!code || ![...select.options].some((o) => o.value === code)) return false;
  select.value = code;
  if (hint) hint.hidden = false;
  return true;
}
