/** Where the shared, read-only test material lives: `../shared` beside the repository root. */
import { fileURLToPath } from "node:url";

export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const sharedPath = (rel: string) => `${SHARED}${rel}`;
