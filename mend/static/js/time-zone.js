// One rule for dates and times: the server writes them in the person's own time zone, as
// her browser does. The browser tells the server its IANA zone in a cookie (only the zone
// name, e.g. "America/Chicago"; never sent anywhere else), and the server's pages use it
// from the next page on (mend.middleware.TimeZoneMiddleware).

const COOKIE = "mend_tz";

export function zoneCookie(zone, current) {
  if (!zone || zone === current) return null;
  return `${COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
}

function currentCookie() {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${COOKIE}=`));
  return found ? decodeURIComponent(found.slice(COOKIE.length + 1)) : "";
}

if (typeof document !== "undefined") {
  const cookie = zoneCookie(Intl.DateTimeFormat().resolvedOptions().timeZone, currentCookie());
  if (cookie) document.cookie = cookie;
}
