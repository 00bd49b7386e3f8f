// Node 18 (Debian 12's nodejs) keeps WebCrypto at crypto.webcrypto and leaves globalThis.crypto
// to a flag; Node 20 and browsers have it as a global. Imported first by every test file, so the
// module under test sees the same globalThis.crypto.subtle as in a browser.
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto) Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
