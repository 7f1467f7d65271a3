/**
 * The real corpus (../shared/content/security_content, ESCU 4.42.0): every file loads or is reported.
 * Expected numbers come from ../shared/content/README.md (1711 files, 1613 not deprecated) and from
 * counting the corpus with an independent reader (PyYAML + Python's csv module).
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { filterMacroName, isDeprecated, loadContent } from "../../src/content/index.js";

const repoRoot = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
const corpus = path.resolve(repoRoot, "../shared/content/security_content");
const FLAGSHIP_ID = "0dd296a2-4338-11ec-ba02-3e22fbd008af";

describe("the security_content corpus", () => {
  const content = loadContent([corpus]);
  // the built-in WinRM pack (content/detections/winrm_pack: 6 detections, 2 macros) loads beside the corpus
  const PACK = 6;
  const corpusDetections = content.detections.filter((d) => !d.name.startsWith("WinRM Pack - "));
  const rel = (f: string | undefined): string => (f ?? "").replace(`${corpus}/`, "");

  it("loads all 1711 detections, 1613 of them not deprecated", () => {
    assert.equal(content.detections.length, 1711 + PACK);
    assert.equal(corpusDetections.length, 1711);
    assert.deepEqual(content.rejected, []);
    assert.equal(corpusDetections.filter((d) => !isDeprecated(d)).length, 1613);
    const byStatus = new Map<string, number>();
    for (const d of corpusDetections) byStatus.set(d.status, (byStatus.get(d.status) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byStatus), { production: 1472, experimental: 141, deprecated: 98 });
    const byType = new Map<string, number>();
    for (const d of corpusDetections) byType.set(d.type, (byType.get(d.type) ?? 0) + 1);
    assert.deepEqual(
      [...byType].sort((a, b) => b[1] - a[1]),
      [
        ["TTP", 987],
        ["Anomaly", 481],
        ["Hunting", 228],
        ["Correlation", 15],
      ],
    );
    assert.ok(corpusDetections.every((d) => d.schema === "v1-v4"));
    assert.equal(content.detections.length - corpusDetections.length, PACK);
  });

  it("replaces the built-in flagship by the corpus's v4 copy with the same id", () => {
    const flagships = content.detections.filter((d) => d.id === FLAGSHIP_ID);
    assert.equal(flagships.length, 1);
    const d = flagships[0]!;
    assert.equal(d.version, 4);
    assert.equal(d.date, "2024-09-30");
    assert.equal(
      d.file,
      path.join(corpus, "detections/endpoint/remote_process_instantiation_via_winrm_and_winrs.yml"),
    );
    assert.equal(d.risk.message, "A process was started on a remote endpoint from $dest$");
    assert.deepEqual(d.risk.objects, [{ field: "dest", type: "system", score: 54 }]);
    assert.deepEqual(d.dataSources, [
      "Sysmon EventID 1",
      "Windows Event Log Security 4688",
      "CrowdStrike ProcessRollup2",
    ]);
    assert.deepEqual(d.tests[0]?.attackData[0], {
      data: "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1021.006/lateral_movement/windows-sysmon.log",
      source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
      sourcetype: "xmlwineventlog",
    });
    // replaced in place: the built-in came first, so it is still first
    assert.equal(content.detections[0], d);
  });

  it("loads 189 corpus macros over the 5 built-in ones (2 overridden)", () => {
    const files = readdirSync(path.join(corpus, "macros")).filter((f) => f.endsWith(".yml"));
    assert.equal(files.length, 189);
    assert.equal(content.macros.size, 189 + 5 - 2);
    assert.equal(
      content.macros.get("security_content_summariesonly", 0)?.definition,
      "summariesonly=`summariesonly_config` allow_old_summaries=`oldsummaries_config` fillnull_value=`fillnull_config`",
    );
    assert.equal(content.macros.get("fillnull_config", 0)?.definition, "null");
    assert.equal(
      content.macros.get("drop_dm_object_name", 1)?.file,
      "builtin:macros/drop_dm_object_name.yml",
    );
  });

  it("reads base64decode.yml's unindented quoted definition as PyYAML does", () => {
    const m = content.macros.get("base64decode", 1);
    assert.deepEqual(m?.args, ["b64in"]);
    assert.equal(
      m?.definition,
      'eval b64x_split=split($b64in$,"") | lookup char_conversion_matrix base64char as b64x_split OUTPUT base64bin as b64x_bin | eval b64x_join=mvjoin(b64x_bin,"") | rex field=b64x_join "(?<b64x_by8>.{8})" max_match=0 | lookup char_conversion_matrix bin as b64x_by8 output ascii as b64x_out | eval $b64in$_decode=mvjoin(b64x_out,"") | fields - b64x_* | eval $b64in$_decode = replace(replace($b64in$_decode,":NUL:",""),":SPACE:"," ") | rex field=$b64in$_decode mode=sed "s/\\x00//g"',
    );
  });

  it("reads the deprecated okta detections' unindented quoted searches as PyYAML does", () => {
    const d = content.detections.find((x) => x.name === "Okta ThreatInsight Suspected PasswordSpray Attack");
    assert.equal(
      d?.search,
      '`okta` eventType="security.threat.detected" AND outcome.reason="Password Spray" | stats count min(_time) as firstTime max(_time) as lastTime values(displayMessage) by eventType client.userAgent.rawUserAgent client.userAgent.browser outcome.reason | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)` | `okta_threatinsight_suspected_passwordspray_attack_filter`',
    );
  });

  it("generates a filter macro for every detection, the one its search calls", () => {
    for (const d of content.detections) {
      const filter = filterMacroName(d.name);
      assert.ok(d.search.includes(`\`${filter}\``), `${d.name} calls ${filter}`);
      assert.equal(content.macros.get(filter, 0)?.definition, "search *");
    }
    assert.equal(content.macros.generatedFilters().length, 1711 + PACK);
  });

  it("loads the 79 lookup definitions", () => {
    assert.equal(content.lookups.size, 79);
    const def = content.lookups.definition("3cx_ioc_domains");
    assert.deepEqual(def?.matchTypes, [{ kind: "WILDCARD", field: "domain" }]);
    assert.equal(def?.caseSensitiveMatch, false);
    assert.equal(def?.minMatches, 1);
    assert.equal(def?.defaultMatch, "false");
    const table = content.lookups.get("3cx_ioc_domains");
    assert.deepEqual(table?.columns, ["domain", "isIOC", "Description"]);
    assert.equal(table?.rows.length, 38);
    assert.deepEqual(table?.rows[0], {
      domain: "akamaicontainer.com",
      isIOC: "TRUE",
      Description:
        "https://www.reddit.com/r/crowdstrike/comments/125r3uu/20230329_situational_awareness_crowdstrike/",
    });
    // by file name too
    assert.equal(content.lookups.get("3cx_ioc_domains.csv"), table);
  });

  it("counts the data models the searches read", () => {
    // 564 searches name Endpoint.Processes (datamodel=…, from datamodel …, | datamodel Endpoint Processes)
    assert.equal(corpusDetections.filter((d) => d.datamodels.includes("Endpoint.Processes")).length, 564);
    assert.equal(corpusDetections.filter((d) => d.datamodels[0] === "Endpoint.Processes").length, 557);
    // every pack detection reads Endpoint.Processes only
    assert.deepEqual(
      content.detections.filter((d) => d.name.startsWith("WinRM Pack - ")).map((d) => d.datamodels),
      Array.from({ length: PACK }, () => ["Endpoint.Processes"]),
    );
  });

  it("gives exactly these diagnostics", () => {
    assert.deepEqual(
      content.diagnostics.map((d) => [d.severity, d.code, rel(d.file), d.line ?? null]),
      [
        ["warning", "content-yaml", "macros/base64decode.yml", 3],
        ["info", "content-duplicate", "macros/security_content_ctime.yml", null],
        ["info", "content-duplicate", "macros/security_content_summariesonly.yml", null],
        [
          "warning",
          "content-yaml",
          "detections/deprecated/okta_threatinsight_login_failure_with_high_unknown_users.yml",
          12,
        ],
        [
          "warning",
          "content-yaml",
          "detections/deprecated/okta_threatinsight_suspected_passwordspray_attack.yml",
          13,
        ],
        [
          "info",
          "content-duplicate",
          "detections/endpoint/remote_process_instantiation_via_winrm_and_winrs.yml",
          null,
        ],
      ],
    );
  });
});
