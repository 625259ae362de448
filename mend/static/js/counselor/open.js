// Opening one match group in the counselor's browser (ARCHITECTURE 9.6, docs/escrow.md).
// Pure (no page, no network); twin of mend/escrow/testing.py open_group, which the server's
// tests use. Only mend/static/js/crypto/ touches libsodium; this module only calls it.
//
// Guarantees: no share is trusted on its own. For each pi, a secret is accepted only if a
// wrapped entry key opens under K(s) (authenticated encryption), and every share that did
// not open, did not lie on the accepted polynomial, or clashed with another is named.
import * as envelope from "../crypto/envelope.js";
import * as escrow from "../crypto/escrow.js";
import * as shamir from "../crypto/shamir.js";
import { CryptoError } from "../crypto/errors.js";
import { equal, toHex } from "../crypto/bytes.js";
import { fromBase64 } from "../lib/base64.js";
import { entryContext, entryKeyContext, shareContext } from "../escrow/protocol.js";

function unwrap(wrapKey, entryId, c) {
  try {
    return envelope.unwrapKey(wrapKey, c, entryKeyContext(entryId));
  } catch (error) {
    if (error instanceof CryptoError) return null;
    throw error;
  }
}

// Returns {entries: {id: content}, rejected: [entryId], unchecked: [entryId], unopened: [entryId]}.
export function openGroup(group, keypair) {
  const rejected = [];
  const unchecked = [];
  const byIndex = new Map();
  for (const item of group.shares) {
    let opened;
    try {
      const payload = envelope.openSealed(keypair, fromBase64(item.sealed), shareContext(item.entry_id));
      opened = escrow.decodeSharePayload(payload);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      rejected.push(item.entry_id);
      continue;
    }
    const list = byIndex.get(item.match_index) ?? [];
    list.push({ entryId: item.entry_id, share: opened.share, c: opened.wrappedEntryKey });
    byIndex.set(item.match_index, list);
  }
  const entryKeys = new Map();
  for (const items of byIndex.values()) {
    const result = recoverIndex(items, group.threshold, entryKeys);
    rejected.push(...result.bad);
    unchecked.push(...result.tooFew);
  }
  const entries = {};
  for (const entry of group.entries) {
    const key = entryKeys.get(entry.id);
    if (!key) continue;
    const plain = envelope.decrypt(key, fromBase64(entry.ciphertext), entryContext(entry.id, entry.version));
    entries[entry.id] = JSON.parse(new TextDecoder().decode(plain));
  }
  const unique = (list) => [...new Set(list)].sort();
  return {
    entries,
    rejected: unique(rejected),
    unchecked: unique(unchecked),
    unopened: group.entries.map((e) => e.id).filter((id) => !(id in entries)),
  };
}

function recoverIndex(items, threshold, entryKeys) {
  // One survivor's entries naming one person carry the same point: keep it once.
  const points = new Map();
  for (const { share } of items) {
    const key = toHex(share.x) + toHex(share.y);
    if (!points.has(key)) points.set(key, share);
  }
  const perX = new Map();
  for (const share of points.values()) perX.set(toHex(share.x), (perX.get(toHex(share.x)) ?? 0) + 1);
  const clashes = (share) => perX.get(toHex(share.x)) > 1;
  const clashing = items.filter((i) => clashes(i.share)).map((i) => i.entryId);
  const consistent = [...points.values()].filter((s) => !clashes(s));
  if (consistent.length < threshold) {
    return { bad: clashing, tooFew: items.filter((i) => !clashes(i.share)).map((i) => i.entryId) };
  }
  const opens = (secret) => {
    const wrapKey = escrow.entryWrapKey(secret);
    return items.some((i) => unwrap(wrapKey, i.entryId, i.c) !== null);
  };
  let recovery;
  try {
    recovery = shamir.recover(consistent, threshold, opens);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    return { bad: items.map((i) => i.entryId), tooFew: [] };
  }
  const fits = (share) => recovery.fitting.some((f) => equal(f.x, share.x) && equal(f.y, share.y));
  const wrapKey = escrow.entryWrapKey(recovery.secret);
  const bad = [...clashing];
  for (const item of items) {
    if (!fits(item.share) && !bad.includes(item.entryId)) bad.push(item.entryId);
    const key = unwrap(wrapKey, item.entryId, item.c);
    if (key && !entryKeys.has(item.entryId)) entryKeys.set(item.entryId, key);
  }
  return { bad, tooFew: [] };
}
