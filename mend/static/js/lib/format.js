// Pure formatting shared by page scripts (the record pages, the leave answer and letter):
// no DOM, so node tests import it.

// A date field ("2026-03-03") as the page's language writes a day ("March 3, 2026",
// "3 de marzo de 2026"); anything that is not such a date is shown as written.
export function day(value, language) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [year, month, dayOfMonth] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth));
  // Date.UTC rolls "2026-13-45" over into 2027: only a real calendar day is reformatted.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dayOfMonth) return value;
  return date.toLocaleDateString(language || undefined, { dateStyle: "long", timeZone: "UTC" });
}
