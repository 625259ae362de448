// Talking to Mend's JSON API: CSRF on every request, errors with stable codes.
// A 401 means the session ended (idle time-out, or signed out in another tab): the keys
// are wiped and the survivor is asked to log in again.
import { config, csrf } from "./page.js";
import { wipeKeys } from "./keystore.js";

export class ApiError extends Error {
  constructor(status, code, detail, data = {}) {
    super(detail || code);
    this.status = status;
    this.code = code;
    this.data = data;
  }
}

// One request: a lost connection is ApiError "network"; a 401 (her session ended, wherever
// it ended) wipes the keys and sends her to this page's sign-in (config.urls.login).
async function send(method, path, body, headers = {}) {
  let response;
  try {
    response = await fetch(config.api + path, {
      method,
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json", ...headers },
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  // Signed out (the session ended): anything but her passphrase, asked again, being wrong.
  if (response.status === 401 && !path.startsWith("accounts/") && !(await wrongPassphrase(response))) {
    wipeKeys();
    window.location.replace(`${config.urls.login}?next=${encodeURIComponent(location.pathname)}`);
    throw new ApiError(401, "session_ended", "");
  }
  return response;
}

async function wrongPassphrase(response) {
  const data = await response.clone().json().catch(() => ({}));
  return data.code === "wrong_passphrase";
}

async function request(method, path, body, headers = {}) {
  const response = await send(method, path, body, headers);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const code = data.code || (response.status === 413 ? "attachment_too_large" : `http_${response.status}`);
    throw new ApiError(response.status, code, data.detail, data);
  }
  return data;
}

export function getJson(path) {
  return request("GET", path);
}

export async function getBytes(path) {
  const response = await send("GET", path, undefined, { Accept: "application/octet-stream" });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, "");
  return new Uint8Array(await response.arrayBuffer());
}

export function postJson(path, data) {
  return request("POST", path, JSON.stringify(data), { "Content-Type": "application/json" });
}

export function putJson(path, data) {
  return request("PUT", path, JSON.stringify(data), { "Content-Type": "application/json" });
}

export function remove(path, data) {
  if (data === undefined) return request("DELETE", path);
  return request("DELETE", path, JSON.stringify(data), { "Content-Type": "application/json" });
}

// multipart/form-data built here as one byte array (rather than FormData with Blobs), so
// the request body is plain bytes: what was sent can be inspected exactly (the browser
// tests search every request body for the canary and the passphrase).
// parts: [{name, value: string}] or [{name, filename, bytes: Uint8Array}].
export function multipart(parts) {
  const encoder = new TextEncoder();
  const boundary = `mend-${crypto.randomUUID()}`;
  const chunks = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.bytes) head += `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    chunks.push(encoder.encode(`${head}\r\n\r\n`), part.bytes ?? encoder.encode(part.value), encoder.encode("\r\n"));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export function postMultipart(path, parts) {
  const { body, contentType } = multipart(parts);
  return request("POST", path, body, { "Content-Type": contentType });
}
