/**
 * Holder keys that live on this device: one ECDSA P-256 key pair per credential, made with WebCrypto as
 * non-extractable and kept in IndexedDB, so the private key never leaves the browser. The wallet
 * signs Key Binding JWTs (RFC 9901 §4.3) with it for credentials bound to this device.
 */
const databaseName = 'yiwang-wallet';
const storeName = 'holder-keys';

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, requestOn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = requestOn(database.transaction(storeName, mode).objectStore(storeName));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    database.close();
  }
}

/** The key pair of a credential on this device, if it was bound here. */
export const deviceKeyOf = (credentialId: string) => withStore<CryptoKeyPair | undefined>('readonly', (store) => store.get(credentialId));

/** Makes and keeps a key pair for the credential; returns the public half as the JWK the server binds to. */
export async function createDeviceKey(credentialId: string): Promise<{ kty: string; crv: string; x: string; y: string }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  await withStore('readwrite', (store) => store.put(pair, credentialId));
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { kty: kty!, crv: crv!, x: x!, y: y! };
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jsonPart = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/**
 * Appends the Key Binding JWT to a presentation (which ends with `~`): ES256 over the claims the server
 * asked for plus `sd_hash`, the SHA-256 of the presentation. WebCrypto's ECDSA signature is already r‖s.
 */
export async function signKeyBinding(credentialId: string, presentation: string, claims: { iat: number; aud: string; nonce: string }): Promise<string> {
  const pair = await deviceKeyOf(credentialId);
  if (!pair) throw new Error('no key for this credential on this device');
  const sdHash = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(presentation)));
  const signingInput = `${jsonPart({ typ: 'kb+jwt', alg: 'ES256' })}.${jsonPart({ ...claims, sd_hash: sdHash })}`;
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(signingInput));
  return `${presentation}${signingInput}.${base64url(signature)}`;
}
