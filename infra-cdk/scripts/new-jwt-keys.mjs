// Prints a fresh private EC P-256 JWK set (one ES256 signing key): the JwtSigningKeys parameter, kept in Secrets
// Manager and read only by the token-minting function.
// With --public, reads a private JWK set on stdin and prints its public half instead: the JwtPublicKeys parameter,
// which every function verifies with (SENDSAR_JWT_PUBLIC_KEYS).
// Node's own crypto: no dependency, nothing leaves the machine.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

if (process.argv.includes('--public')) {
  const { keys } = JSON.parse(readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify({ keys: keys.map(({ d, ...publicPart }) => publicPart) }));
} else {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  process.stdout.write(JSON.stringify({ keys: [{ ...jwk, kid: randomUUID(), use: 'sig', alg: 'ES256' }] }));
}
