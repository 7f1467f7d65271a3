/**
 * The SPL engine's public API (re-exports only). See `compile.ts` for the flow.
 */
export { compileSearch } from "./compile.js";
export { rawTimeOf } from "./exec/raw-time.js";
export { fieldValue } from "./exec/row-field.js";
export { BUILTIN_MACROS, createMacroTable, DROP_DM_OBJECT_NAME, filterMacroName } from "./macros/builtin.js";
export type {
  CompiledSearch,
  CompileOptions,
  CompileResult,
  FieldValue,
  LookupResolver,
  LookupTable,
  MacroDef,
  MacroTable,
  Row,
  Scalar,
  SearchRun,
} from "./types.js";
