/**
 * The registry fields Sysmon 12, 13 and 14 share, as Splunk Add-on for Sysmon 4.0.x builds them from
 * TargetObject: `registry_path` verbatim, `registry_hive` from three known prefixes, `status` = success
 * (the add-on's test is Keywords = 0x8000000000000000, Audit Success, which every Sysmon event carries).
 */
import type { FieldRule } from "../mapping.js";
import { SYSMON_ACTOR_FIELDS } from "./sysmon-actor-fields.js";

export const SYSMON_REGISTRY_FIELDS: Readonly<Record<string, FieldRule>> = {
  ...SYSMON_ACTOR_FIELDS,
  registry_path: { from: ["TargetObject"], transform: "copy" },
  registry_hive: { from: ["TargetObject"], transform: "registry-hive" },
};

export const SYSMON_REGISTRY_CONSTANTS: Readonly<Record<string, string>> = {
  status: "success",
  vendor_product: "Microsoft Sysmon",
};
