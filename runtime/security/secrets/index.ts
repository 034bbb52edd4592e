/** Secrets: `${file:…}` references, `enc:v1:` values (AES-256-GCM) and redaction. See docs/security.md#secrets. */
export { redact, registerSecret, REDACTED } from '../../redact.js';
export {
  decryptSecret,
  encryptSecret,
  generateKey,
  isEncrypted,
  keyFromEnv,
  parseKey,
  SecretError,
  ENC_PREFIX,
  KEY_VARIABLE
} from './crypto.js';
export { hasSecretReference, isCredentialPointer, referencedVariables, resolveSecretText } from './references.js';
export { describeProblem, resolveArtifactSecrets } from './artifact.js';
