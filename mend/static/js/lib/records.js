// Reading and writing records through the API, locked and unlocked in this browser.
// A record's plaintext is JSON: {"v": 1, "fields": {name: text}, "attachments": [
//   {"id", "name", "type", "size", "version"}]} (file names and types stay inside it).
import { getBytes, getJson, postMultipart, remove } from "./api.js";
import { fromBase64, toBase64 } from "./base64.js";
import * as keys from "./keys.js";

export const FORMAT = 1;

export function emptyContent() {
  return { v: FORMAT, fields: {}, attachments: [] };
}

// Every record with its latest version opened: [{id, version, updatedAt, content}].
export async function listRecords(vk) {
  const { records } = await getJson("vault/records");
  return records.map((r) => {
    const key = keys.unwrapRecordKey(vk, fromBase64(r.wrapped_key), r.id);
    return {
      id: r.id,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      content: keys.openRecord(key, r.id, r.version, fromBase64(r.ciphertext)),
    };
  });
}

// One record with every version opened, newest last.
export async function loadRecord(vk, recordId) {
  const data = await getJson(`vault/records/${recordId}`);
  const key = keys.unwrapRecordKey(vk, fromBase64(data.wrapped_key), recordId);
  return {
    id: recordId,
    key,
    version: data.version,
    createdAt: data.created_at,
    attachments: data.attachments,
    versions: data.versions.map((v) => ({
      version: v.version,
      receivedAt: v.received_at,
      size: v.size,
      signedHere: v.signed_here,
      content: keys.openRecord(key, recordId, v.version, fromBase64(v.ciphertext)),
    })),
  };
}

// A new record: its id (which its key and every version are bound to) and its key.
export function newRecord(vk) {
  const id = crypto.randomUUID();
  const key = keys.newKey();
  return { id, key, version: 0, wrappedKey: keys.wrapRecordKey(vk, key, id) };
}

// Save the next version (one request: the record, its new files, one transaction).
// files: [{id, bytes}] already read; returns the server's answer with the receipts.
export async function saveVersion(record, content, files = []) {
  const version = record.version + 1;
  const parts = [{ name: "version", value: String(version) }];
  if (version === 1) parts.push({ name: "wrapped_key", value: toBase64(record.wrappedKey) });
  const sealed = keys.sealRecord(record.key, record.id, version, content);
  parts.push({ name: "ciphertext", filename: "ciphertext", bytes: sealed });
  for (const file of files) {
    const locked = keys.sealAttachment(record.key, record.id, file.id, version, file.bytes);
    // The part is named by the attachment's id: the real file name stays in the record.
    parts.push({ name: `attachment:${file.id}`, filename: file.id, bytes: locked });
  }
  const answer = await postMultipart(`vault/records/${record.id}/versions`, parts);
  record.version = version;
  return answer;
}

export async function openAttachment(record, attachment) {
  const locked = await getBytes(`vault/records/${record.id}/attachments/${attachment.id}`);
  return keys.openAttachment(record.key, record.id, attachment.id, attachment.version, locked);
}

export function receiptUrl(recordId, version) {
  return `/api/v1/vault/records/${recordId}/versions/${version}/receipt`;
}

// Deleting takes her passphrase again (lib/passphrase-again.js): its auth key, in hex.
export function deleteRecord(recordId, authKey) {
  return remove(`vault/records/${recordId}`, { auth_key: authKey });
}

export function deleteAllRecords(authKey) {
  return remove("vault/records", { auth_key: authKey });
}

// A name for a record in lists and headings.
export function titleOf(content, fallback) {
  const title = (content.fields?.title || "").trim();
  return title || fallback;
}
