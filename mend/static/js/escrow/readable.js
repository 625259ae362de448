// What a person reads, from what the protocol keeps. An identifier, from the canonical form:
// "social:instagram:mark.ruffle_" is "Instagram: @mark.ruffle_", "email:tom@gmail.com" is
// "Email address: tom@gmail.com". One function for the survivor's review and the
// counselor's group page, so both say the same thing. Pure: no DOM, no server.

export const PLATFORM_NAMES = Object.freeze({
  instagram: "Instagram",
  facebook: "Facebook",
  x: "X (Twitter)",
  linkedin: "LinkedIn",
  tiktok: "TikTok",
  snapchat: "Snapchat",
  youtube: "YouTube",
  threads: "Threads",
});

// `t` translates "kind_email" and "kind_phone" (the page's strings).
export function readable(identifier, t) {
  const [kind, ...rest] = identifier.split(":");
  if (kind === "social" && rest.length >= 2) {
    const [platform, ...handle] = rest;
    return `${PLATFORM_NAMES[platform] ?? platform}: @${handle.join(":")}`;
  }
  if (kind === "email" || kind === "phone") return `${t(`kind_${kind}`)}: ${rest.join(":")}`;
  return identifier;
}

// "Survivor 2, entry 1": survivors numbered as the group lists them (the same numbers as
// their message threads), each one's entries in her own order, so no two numberings clash.
export function entryLabels(group, t) {
  const members = new Map(group.members.map((m, i) => [m.id, i + 1]));
  const counts = new Map();
  const labels = new Map();
  for (const entry of group.entries) {
    const member = members.get(entry.member_id) ?? "?";
    const n = (counts.get(member) ?? 0) + 1;
    counts.set(member, n);
    labels.set(entry.id, t("entry_of", { member, n }));
  }
  return labels;
}
