import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Passwords are stored as scrypt hashes: memory-hard (32 MiB per hash with these parameters), built into
 * Node, so no native add-on has to be compiled on a provincial office's server. The stored text carries its
 * parameters, so they can be raised later and old hashes still verify.
 */
export type ScryptParameters = { N: number; r: number; p: number; keyLength: number };

/** N = 2^15, r = 8, p = 1: OWASP's minimum for scrypt, about 50–100 ms and 32 MiB per hash on one core. */
export const defaultScryptParameters: ScryptParameters = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };

const prefix = "scrypt";

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: parameters.N, r: parameters.r, p: parameters.p, maxmem: 256 * parameters.N * parameters.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, parameters.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password with a new random salt: `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string, parameters: ScryptParameters = defaultScryptParameters): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  return [prefix, parameters.N, parameters.r, parameters.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parseStored(stored: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== prefix) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const key = Buffer.from(parts[5] ?? "", "base64url");
  if (!N || !r || !p || !Number.isInteger(Math.log2(N)) || salt.length < 16 || key.length < 32) return undefined;
  return { parameters: { N, r, p, keyLength: key.length }, salt, key };
}

/** Whether `password` matches a stored hash; a malformed stored value never matches. Compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (parsed === undefined) return false;
  const key = await derive(password, parsed.salt, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made with weaker parameters than today's, so it should be replaced at next sign-in. */
export function needsRehash(stored: string, parameters: ScryptParameters = defaultScryptParameters): boolean {
  const parsed = parseStored(stored);
  return parsed === undefined || parsed.parameters.N < parameters.N || parsed.parameters.r < parameters.r || parsed.parameters.keyLength < parameters.keyLength;
}

/**
 * The rule for a new password: at least 10 characters, not only digits, and not the login name. Long
 * passphrases are better than complex short ones for people typing on a phone.
 */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 10) return "at least 10 characters";
  if (/^\d+$/.test(password)) return "not only digits";
  if (password.toLowerCase().includes(username.toLowerCase())) return "must not contain the login name";
  return undefined;
}
