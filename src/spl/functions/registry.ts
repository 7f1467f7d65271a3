/**
 * Eval function name → implementation. Names are matched case-insensitively; a name not in this
 * table is reported as `spl-unsupported`.
 */
import { COND_FUNCTIONS } from "./cond.js";
import type { FunctionSpec } from "./function-spec.js";
import { MATH_FUNCTIONS } from "./math.js";
import { MV_FUNCTIONS } from "./mv.js";
import { NET_FUNCTIONS } from "./net.js";
import { STRING_FUNCTIONS } from "./string.js";
import { TIME_FUNCTIONS } from "./time.js";

const ALL = new Map<string, FunctionSpec>(
  Object.entries({
    ...COND_FUNCTIONS,
    ...STRING_FUNCTIONS,
    ...MATH_FUNCTIONS,
    ...MV_FUNCTIONS,
    ...TIME_FUNCTIONS,
    ...NET_FUNCTIONS,
  }),
);

export function evalFunction(name: string): FunctionSpec | undefined {
  return ALL.get(name.toLowerCase());
}
