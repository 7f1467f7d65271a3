/**
 * The named transforms that mapping tables refer to. Each takes the source values (in the order the
 * table lists them; `undefined` when absent) and returns the CIM value, or `undefined` for "no value".
 */
import type { Transform } from "./mapping.js";

export function basename(path: string): string {
  let i = path.length - 1;
  while (i >= 0) {
    const c = path.charCodeAt(i);
    if (c === 92 /* \ */ || c === 47 /* / */) break;
    i--;
  }
  return i < 0 ? path : path.slice(i + 1);
}

/** The first token of a command line: the quoted run if it starts with a quote, else up to whitespace. */
export function firstToken(commandLine: string): { token: string; rest: string } {
  const s = commandLine.replace(/^\s+/, "");
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1);
    if (end < 0) return { token: s.slice(1), rest: "" };
    return { token: s.slice(1, end), rest: s.slice(end + 1) };
  }
  const m = /\s/.exec(s);
  if (m === null) return { token: s, rest: "" };
  return { token: s.slice(0, m.index), rest: s.slice(m.index) };
}

function present(v: string | undefined): v is string {
  return v !== undefined && v !== "";
}

/**
 * 4688's `process` (SEMANTICS §3): CommandLine when its first token holds a `\` (a full path); otherwise
 * NewProcessName (quoted if it has spaces) + one space + the arguments; without CommandLine, NewProcessName.
 */
function process4688(
  commandLine: string | undefined,
  newProcessName: string | undefined,
): string | undefined {
  if (!present(commandLine)) return newProcessName;
  const { token, rest } = firstToken(commandLine);
  if (token.includes("\\") || !present(newProcessName)) return commandLine;
  const image = newProcessName.includes(" ") ? `"${newProcessName}"` : newProcessName;
  const args = rest.replace(/^\s+/, "");
  return args === "" ? image : `${image} ${args}`;
}

/** The part after the last backslash (registry paths split on `\` only: `/` is legal in a key name). */
function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("\\") + 1);
}

/** The segment before the last backslash, or undefined when there is none (Splunk's `mvindex(split(x,"\\"),-2)`). */
function parentSegment(path: string): string | undefined {
  const end = path.lastIndexOf("\\");
  if (end < 0) return undefined;
  return path.slice(path.lastIndexOf("\\", end - 1) + 1, end);
}

/**
 * Splunk Add-on for Sysmon's `registry_hive`: only these three TargetObject prefixes are named (compared
 * case-sensitively, as Sysmon writes them); every other path (HKCR, `\REGISTRY\…`, `HKLM\SYSTEM\…`) has none.
 */
const REGISTRY_HIVES: readonly (readonly [string, string])[] = [
  ["HKLM\\System\\", "HKEY_LOCAL_MACHINE\\System"],
  ["HKU\\", "HKEY_CURRENT_USER"],
  ["HKLM\\SOFTWARE\\", "HKEY_LOCAL_MACHINE\\Software"],
];

/** The add-on's transform on Details: `<type> (<data>)` → the data inside the parentheses. */
const TYPED_DETAILS = /^\w+\s\((.+)\)$/;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function applyTransform(t: Transform, values: readonly (string | undefined)[]): string | undefined {
  const v = values[0];
  switch (t) {
    case "copy":
      return v;
    case "basename":
      return present(v) ? basename(v) : v;
    case "strip-domain": {
      if (!present(v) || v === "-") return undefined;
      const i = v.lastIndexOf("\\");
      return i < 0 ? v : v.slice(i + 1);
    }
    case "first-not-dash":
      for (const x of values) if (present(x) && x !== "-") return x;
      return undefined;
    case "dash-is-missing":
      return v === "-" ? undefined : v;
    case "process-4688":
      return process4688(values[0], values[1]);
    case "last-segment":
      return present(v) ? lastSegment(v) : undefined;
    case "parent-segment":
      return present(v) ? parentSegment(v) : undefined;
    case "registry-hive":
      if (!present(v)) return undefined;
      for (const [prefix, hive] of REGISTRY_HIVES) if (v.startsWith(prefix)) return hive;
      return undefined;
    case "registry-value-data":
      return present(v) ? (TYPED_DETAILS.exec(v)?.[1] ?? v) : undefined;
    case "sysmon-registry-event-action":
      if (v === "CreateKey") return "created";
      if (v === "DeleteKey" || v === "DeleteValue") return "deleted";
      return undefined;
    case "sysmon-file-create-action": {
      const created = values[1];
      if (!present(v) || !present(created)) return undefined;
      return v === created ? "created" : "modified";
    }
    case "initiated-direction":
      return v === "true" ? "outbound" : "inbound";
    case "ipv6-version":
      return v === "true" ? "ipv6" : v === "false" ? "ipv4" : undefined;
    case "number-or-zero":
      return v !== undefined && NUMBER.test(v) ? v : "0";
  }
}
