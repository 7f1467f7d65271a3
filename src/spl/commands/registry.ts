/**
 * Command name → implementation. A name not in this table is reported as `spl-unsupported`.
 */
import type { CommandSpec } from "./command-spec.js";
import { convertCommand } from "./convert.js";
import { renameCommand } from "./rename.js";
import { searchCommand } from "./search.js";
import { tstatsCommand } from "./tstats.js";

const COMMANDS: readonly CommandSpec[] = [tstatsCommand, renameCommand, convertCommand, searchCommand];

const BY_NAME = new Map<string, CommandSpec>(COMMANDS.map((c) => [c.name, c]));

/** Aliases Splunk accepts for the same command. */
const ALIASES: Record<string, string> = { bucket: "bin" };

export function commandSpec(name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  return BY_NAME.get(ALIASES[lower] ?? lower);
}
