// Verifying Mend's signed receipts in the browser. Twin of the verifying half of
// mend/crypto/receipts.py (the message format and JSON file are described there).
import sodium from "./sodium.js";
import { RECEIPT_DOMAIN } from "./labels.js";
import { concat, equal, fromHex, i2osp, isRealUtcTime, lp, utf8 } from "./bytes.js";
import { CryptoError, ReceiptError } from "./errors.js";

const FIELDS = [
  "ciphertext_sha256",
  "object_id",
  "public_key",
  "received_at",
  "signature",
  "type",
  "version",
];
const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{6}Z$/;

// The exact bytes that are signed; receivedAt is the canonical text from the file.
export function receiptMessage(objectId, version, ciphertextSha256, receivedAt) {
  const id = utf8(objectId);
  if (id.length < 1 || id.length > 255)
    throw new ReceiptError("object id must be 1 to 255 bytes of UTF-8");
  if (!Number.isInteger(version) || version < 0 || version >= 2 ** 32) {
    throw new ReceiptError("version must fit in 32 bits");
  }
  if (ciphertextSha256.length !== 32)
    throw new ReceiptError("the ciphertext hash must be 32 bytes");
  checkTime(receivedAt);
  return concat(
    lp(utf8(RECEIPT_DOMAIN)),
    lp(id),
    i2osp(version, 4),
    lp(ciphertextSha256),
    lp(utf8(receivedAt)),
  );
}

// Strictly parse a receipt file into
// {objectId, version, ciphertextSha256, receivedAt, publicKey, signature}.
export function parseReceipt(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReceiptError(`the receipt is not valid JSON: ${error.message}`);
  }
  if (
    data === null ||
    typeof data !== "object" ||
    Object.keys(data).sort().join(",") !== FIELDS.join(",")
  ) {
    throw new ReceiptError(`a receipt has exactly these fields: ${FIELDS.join(", ")}`);
  }
  if (data.type !== RECEIPT_DOMAIN) throw new ReceiptError(`unknown receipt type ${data.type}`);
  if (typeof data.object_id !== "string" || !Number.isInteger(data.version)) {
    throw new ReceiptError("object_id must be a string and version an integer");
  }
  try {
    checkTime(data.received_at);
    return {
      objectId: data.object_id,
      version: data.version,
      ciphertextSha256: fromHex(data.ciphertext_sha256, 32, "ciphertext_sha256"),
      receivedAt: data.received_at,
      publicKey: fromHex(data.public_key, 32, "public_key"),
      signature: fromHex(data.signature, 64, "signature"),
    };
  } catch (error) {
    if (error instanceof CryptoError) throw new ReceiptError(error.message);
    throw error;
  }
}

// Throws ReceiptError unless `publicKey` signed exactly this receipt.
export function verifyReceipt(receipt, publicKey) {
  if (publicKey.length !== 32) throw new ReceiptError("public key must be 32 bytes");
  if (!equal(receipt.publicKey, publicKey))
    throw new ReceiptError("the receipt names a different public key");
  const message = receiptMessage(
    receipt.objectId,
    receipt.version,
    receipt.ciphertextSha256,
    receipt.receivedAt,
  );
  if (!sodium.crypto_sign_verify_detached(receipt.signature, message, publicKey)) {
    throw new ReceiptError("the signature does not match this receipt and key");
  }
}

export function checkCiphertext(receipt, ciphertext) {
  if (!equal(sodium.crypto_hash_sha256(ciphertext), receipt.ciphertextSha256)) {
    throw new ReceiptError("the ciphertext is not the one this receipt names");
  }
}

function checkTime(text) {
  const m = typeof text === "string" ? TIME.exec(text) : null;
  if (!m) throw new ReceiptError("received_at must look like 2025-01-31T09:30:00.000000Z");
  if (!isRealUtcTime(...m.slice(1).map(Number))) throw new ReceiptError("received_at is not a real time");
}
