// Errors thrown by the crypto modules; twins of mend/crypto/errors.py (same names).
// Every failure throws: there is no boolean result a caller could forget to check.

export class CryptoError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidElementError extends CryptoError {}
export class InvalidScalarError extends CryptoError {}
export class InvalidInputError extends CryptoError {}
export class DeriveKeyPairError extends CryptoError {}
export class VerifyError extends CryptoError {}
export class DecryptionError extends CryptoError {}
export class UnsupportedVersionError extends CryptoError {}
export class ShareError extends CryptoError {}
export class RecoveryError extends CryptoError {}
export class ParamsError extends CryptoError {}
export class ReceiptError extends CryptoError {}
export class CertificateError extends CryptoError {}
export class EndorsementError extends CryptoError {}
export class DialogueError extends CryptoError {}

// `code` is stable and shared with Python; the UI translates it. The message is English.
export class InvalidIdentifier extends CryptoError {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
