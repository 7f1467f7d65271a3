/**
 * CIM Network_Traffic.All_Traffic calculated fields (Splunk CIM app's Network_Traffic data model JSON, as
 * extracted for CIM 8.5 — see docs/normalization.md): `action`, `dest`, `src`, `dvc`, `user`, `rule`,
 * `transport` empty or missing → "unknown"; `transport` lower-cased. The ports' `if(isnum(x),x,0)` is applied
 * by the source table (transform `number-or-zero`); `bytes`/`packets` sums have no Sysmon source.
 */
import type { DatasetDefaults } from "../mapping.js";

export const NETWORK_TRAFFIC_ALL_TRAFFIC: DatasetDefaults = {
  dataset: "Network_Traffic.All_Traffic",
  fill: {
    action: "unknown",
    dest: "unknown",
    src: "unknown",
    dvc: "unknown",
    user: "unknown",
    rule: "unknown",
    transport: "unknown",
  },
  nameFromCommandLine: {},
  lowerCase: ["transport"],
};
