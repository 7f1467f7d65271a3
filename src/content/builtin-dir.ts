/**
 * Where the built-in content (the repo's `content/` folder) is. Found by walking up from this
 * module's own location to the folder holding `package.json` and `content/detections/`, which
 * works from `src/content/` (tsx, tests) and from the bundled `dist/cli.js` alike.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function builtinContentDir(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "content");
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(candidate, "detections"))) {
      cached = candidate;
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `internal error: built-in content/ folder not found above ${fileURLToPath(import.meta.url)}`,
      );
    }
    dir = parent;
  }
}
