import { createECDH, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export interface GeneratedSecrets {
  BETTER_AUTH_SECRET: string;
  VAPID_PUBLIC_KEY: string;
  VAPID_PRIVATE_KEY: string;
}

/**
 * Embedded mode needs no setup: secrets missing from the environment are generated once and kept in
 * `<dataDir>/secrets.json` (mode 0600), so sessions and push subscriptions survive restarts.
 */
export function loadOrCreateSecrets(dataDir: string): GeneratedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<GeneratedSecrets>;
    if (parsed.BETTER_AUTH_SECRET && parsed.VAPID_PUBLIC_KEY && parsed.VAPID_PRIVATE_KEY) {
      return parsed as GeneratedSecrets;
    }
  }
  const vapid = generateVapidKeys();
  const secrets: GeneratedSecrets = {
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** A P-256 key pair in the encoding Web Push (VAPID) uses: base64url, public key uncompressed. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const priv = ecdh.getPrivateKey();
  // The private scalar may have leading zero bytes; VAPID wants exactly 32.
  const priv32 = Buffer.concat([Buffer.alloc(32 - priv.length), priv]);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: priv32.toString('base64url') };
}
