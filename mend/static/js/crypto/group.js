// The ristretto255 group (RFC 9496) and its scalar field, over libsodium.
// Twin of mend/crypto/group.py. Guarantees: element() accepts only canonical, non-identity
// encodings (libsodium's is_valid_point accepts the identity, so we refuse it ourselves, and
// we refuse bit 255 set ourselves too, as the Python side must with libsodium 1.0.18);
// scalar() accepts only canonical scalars (< L). Secret arithmetic runs in libsodium.
import sodium from "./sodium.js";
import { concat, equal, fromHex, i2osp } from "./bytes.js";
import { CryptoError, InvalidElementError, InvalidScalarError } from "./errors.js";

export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
export const ELEMENT_BYTES = 32;
export const SCALAR_BYTES = 32;
export const IDENTITY = new Uint8Array(32);
export const ZERO = new Uint8Array(32);
export const GENERATOR = fromHex(
  "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
);

const HASH_BYTES = 64;
const BLOCK_BYTES = 128;

function isZero(data) {
  return equal(data, ZERO);
}

function littleEndian(data) {
  let value = 0n;
  for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]);
  return value;
}

export function element(data, what = "element") {
  if (!(data instanceof Uint8Array) || data.length !== ELEMENT_BYTES) {
    throw new InvalidElementError(`${what} must be ${ELEMENT_BYTES} bytes`);
  }
  if (isZero(data)) throw new InvalidElementError(`${what} is the identity element`);
  if (data[31] & 0x80) {
    throw new InvalidElementError(`${what} is not a canonical ristretto255 encoding (bit 255)`);
  }
  if (!sodium.crypto_core_ristretto255_is_valid_point(data)) {
    throw new InvalidElementError(`${what} is not a canonical ristretto255 encoding`);
  }
  return data;
}

export function scalar(data, what = "scalar", { nonzero = false } = {}) {
  if (!(data instanceof Uint8Array) || data.length !== SCALAR_BYTES) {
    throw new InvalidScalarError(`${what} must be ${SCALAR_BYTES} bytes`);
  }
  if (littleEndian(data) >= ORDER) {
    throw new InvalidScalarError(`${what} is not below the group order (non-canonical)`);
  }
  if (nonzero && isZero(data)) throw new InvalidScalarError(`${what} must not be zero`);
  return data;
}

export function scalarFromInt(value) {
  let v = BigInt(value);
  if (v < 0n || v >= ORDER) throw new InvalidScalarError("integer is outside the scalar field");
  const out = new Uint8Array(SCALAR_BYTES);
  for (let i = 0; i < SCALAR_BYTES; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const randomScalar = () => sodium.crypto_core_ristretto255_scalar_random();
export const reduce = (wide) => sodium.crypto_core_ristretto255_scalar_reduce(wide);
export const scalarAdd = (a, b) => sodium.crypto_core_ristretto255_scalar_add(a, b);
export const scalarSub = (a, b) => sodium.crypto_core_ristretto255_scalar_sub(a, b);
export const scalarMul = (a, b) => sodium.crypto_core_ristretto255_scalar_mul(a, b);

export function scalarInvert(a) {
  if (isZero(a)) throw new InvalidScalarError("zero has no inverse");
  return sodium.crypto_core_ristretto255_scalar_invert(a);
}

// k * point; libsodium refuses to output the identity, which in a prime-order group happens
// exactly when k = 0 or the point is the identity, so we answer those cases ourselves.
export function mul(k, point) {
  if (isZero(k) || isZero(point)) return new Uint8Array(32);
  return sodium.crypto_scalarmult_ristretto255(k, point);
}

export function mulBase(k) {
  if (isZero(k)) return new Uint8Array(32);
  return sodium.crypto_scalarmult_ristretto255_base(k);
}

export const add = (p, q) => sodium.crypto_core_ristretto255_add(p, q);

// expand_message_xmd with SHA-512 (RFC 9380, section 5.3.1).
export function expandMessageXmd(msg, dst, length) {
  const blocks = Math.ceil(length / HASH_BYTES);
  if (length < 1 || length > 65535 || blocks > 255 || dst.length < 1 || dst.length > 255) {
    throw new CryptoError("expand_message_xmd: output length or DST length out of range");
  }
  const dstPrime = concat(dst, i2osp(dst.length, 1));
  const sha512 = (data) => sodium.crypto_hash_sha512(data);
  const b0 = sha512(concat(new Uint8Array(BLOCK_BYTES), msg, i2osp(length, 2), [0], dstPrime));
  let bi = sha512(concat(b0, [1], dstPrime));
  const out = [bi];
  for (let i = 2; i <= blocks; i++) {
    const mixed = b0.map((byte, j) => byte ^ bi[j]);
    bi = sha512(concat(mixed, i2osp(i, 1), dstPrime));
    out.push(bi);
  }
  return concat(...out).slice(0, length);
}

export function hashToGroup(msg, dst) {
  return sodium.crypto_core_ristretto255_from_hash(expandMessageXmd(msg, dst, HASH_BYTES));
}

export function hashToScalar(msg, dst) {
  return reduce(expandMessageXmd(msg, dst, HASH_BYTES));
}
