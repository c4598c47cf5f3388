import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fixtureDir = join(import.meta.dirname, "../fixtures/translation-sample");

/**
 * A throw-away copy of tests/fixtures/translation-sample (content and flows), so translation tests can write
 * files without touching the fixture or the shipped content.
 */
export async function copyTranslationFixture(): Promise<{ root: string; contentDir: string; flowsDir: string }> {
  const root = await mkdtemp(join(tmpdir(), "loa-translation-"));
  await cp(fixtureDir, root, { recursive: true });
  return { root, contentDir: join(root, "content"), flowsDir: join(root, "flows") };
}
