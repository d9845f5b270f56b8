/** The `exp` of a JWT in ms since the epoch, read without verifying (the server verifies); undefined if unreadable. */
export function jwtExpiry(token: string): number | undefined {
  const exp = claims(token).exp;
  return typeof exp === "number" ? exp * 1000 : undefined;
}

/** The `sub` (the user id) of a JWT, read without verifying; undefined if unreadable. */
export function jwtSubject(token: string): string | undefined {
  const sub = claims(token).sub;
  return typeof sub === "string" ? sub : undefined;
}

function claims(token: string): { exp?: unknown; sub?: unknown } {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const json = JSON.parse(decodeBase64(base64)) as unknown;
    return json !== null && typeof json === "object" ? json as { exp?: unknown; sub?: unknown } : {};
  } catch {
    return {};
  }
}

function decodeBase64(base64: string): string {
  const binary = globalThis.atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
