/**
 * Command name → implementation. A name not in this table is reported as `spl-unsupported`.
 */
import { addtotalsCommand } from "./addtotals.js";
import { appendCommand, makeresultsCommand } from "./append.js";
import { binCommand } from "./bin.js";
import type { CommandSpec } from "./command-spec.js";
import { convertCommand } from "./convert.js";
import { dedupCommand } from "./dedup.js";
import { evalCommand } from "./eval.js";
import { fillnullCommand } from "./fillnull.js";
import { inputlookupCommand } from "./inputlookup.js";
import { joinCommand } from "./join.js";
import { lookupCommand } from "./lookup.js";
import { makemvCommand } from "./makemv.js";
import { mvexpandCommand } from "./mvexpand.js";
import { regexCommand, rexCommand } from "./regex.js";
import { renameCommand } from "./rename.js";
import { searchCommand } from "./search.js";
import { headCommand, sortCommand } from "./sort.js";
import { eventstatsCommand, statsCommand } from "./stats.js";
import { fieldsCommand, tableCommand } from "./table.js";
import { transactionCommand } from "./transaction.js";
import { tstatsCommand } from "./tstats.js";
import { whereCommand } from "./where.js";

const COMMANDS: readonly CommandSpec[] = [
  tstatsCommand,
  renameCommand,
  convertCommand,
  searchCommand,
  whereCommand,
  evalCommand,
  tableCommand,
  fieldsCommand,
  statsCommand,
  eventstatsCommand,
  dedupCommand,
  sortCommand,
  headCommand,
  fillnullCommand,
  regexCommand,
  rexCommand,
  binCommand,
  mvexpandCommand,
  lookupCommand,
  joinCommand,
  inputlookupCommand,
  makemvCommand,
  transactionCommand,
  addtotalsCommand,
  appendCommand,
  makeresultsCommand,
];

const BY_NAME = new Map<string, CommandSpec>(COMMANDS.map((c) => [c.name, c]));

/** Aliases Splunk accepts for the same command. */
const ALIASES: Record<string, string> = { bucket: "bin" };

export function commandSpec(name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  return BY_NAME.get(ALIASES[lower] ?? lower);
}
