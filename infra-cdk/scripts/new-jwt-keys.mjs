// Prints a fresh private EC P-256 JWK set (one ES256 signing key), the shape SENDSAR_JWT_KEYS expects.
// Node's own crypto: no dependency, nothing leaves the machine.
import { generateKeyPairSync, randomUUID } from 'node:crypto';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = privateKey.export({ format: 'jwk' });
process.stdout.write(JSON.stringify({ keys: [{ ...jwk, kid: randomUUID(), use: 'sig', alg: 'ES256' }] }));
