/**
 * Benchmark inputs, built from the real files in ../shared/data by repetition (nothing is downloaded).
 *
 * - EVTX: the chunks of real, undamaged EVTX files concatenated behind one fresh file header (chunk count,
 *   last chunk number and header CRC-32 recomputed), repeated until the target size. Every chunk is a
 *   byte-for-byte copy, so libevtx, python-evtx and Winnow all read it as a valid log.
 * - XML: Splunk XmlWinEventLog lines — the real XML lines of the Splunk attack-data sample and the derived
 *   XML sample, plus the EVTX samples rendered as XmlWinEventLog by `winnow export` — repeated.
 * - JSON: NXLog JSON lines unpacked from the Splunk attack-data tar.gz files, repeated.
 *
 * Files are cached in the bench folder (`benchDir`) by name and size; `removeInput` deletes the large ones after use.
 */
import { execFileSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(new URL("..", import.meta.url).pathname);
export const SHARED = resolve(REPO, "../shared");
export const DATA = join(SHARED, "data");

const CHUNK = 65536;
const HEADER = 4096;

/** Real EVTX files with no damage (both reference parsers read every record of them). */
export const EVTX_SOURCES = [
  "dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
  "dfir-artifact-museum/Win10_APTSimulatorVM_Security.evtx",
  "dfir-artifact-museum/Server2022_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
  "evtx-rs-samples/sysmon.evtx",
  "evtx-rs-samples/security.evtx",
  "evtx-to-mitre-attack/ID4688-Encoded_PowerShell_MSF_payload_via_process_execution.evtx",
  "derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx",
];

/**
 * Where inputs, bundles and results go: node_modules/.cache/winnow-bench (inside the repo, so the bundled CLI
 * finds its packages; ignored by git and biome), or WINNOW_BENCH_DIR for the inputs.
 */
export const CACHE = join(REPO, "node_modules", ".cache", "winnow-bench");

export function benchDir(): string {
  const dir = process.env.WINNOW_BENCH_DIR ?? CACHE;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every 64 KiB block of a file that starts with the chunk signature. */
function chunksOf(path: string): Buffer[] {
  const buf = readFileSync(path);
  const out: Buffer[] = [];
  for (let off = HEADER; off + CHUNK <= buf.length; off += CHUNK) {
    if (buf.toString("latin1", off, off + 8) === "ElfChnk\0") out.push(buf.subarray(off, off + CHUNK));
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function evtxHeader(chunks: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h.write("ElfFile\0", 0, "latin1");
  h.writeBigUInt64LE(0n, 8); // first chunk number
  h.writeBigUInt64LE(BigInt(chunks - 1), 16); // last chunk number
  h.writeBigUInt64LE(1n, 24); // next record id (not used by readers)
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36); // minor version
  h.writeUInt16LE(3, 38); // major version
  h.writeUInt16LE(HEADER, 40);
  h.writeUInt16LE(chunks, 42);
  h.writeUInt32LE(0, 120); // flags: clean, with CRCs
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

/** An EVTX file of about `bytes` bytes (at least one copy of every source chunk unless `bytes` is smaller). */
export function buildEvtx(bytes: number): string {
  const pool = EVTX_SOURCES.flatMap((f) => chunksOf(join(DATA, f)));
  const count = Math.min(65535, Math.max(1, Math.round((bytes - HEADER) / CHUNK)));
  const path = join(benchDir(), `bench-${count}.evtx`);
  if (existsSync(path) && statSync(path).size === HEADER + count * CHUNK) return path;
  const fd = openSync(path, "w");
  try {
    writeSync(fd, evtxHeader(count));
    for (let i = 0; i < count; i++) writeSync(fd, pool[i % pool.length]);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Writes `lines` repeatedly until the file reaches `bytes`. */
function repeatLines(path: string, lines: string[], bytes: number): string {
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  const block = Buffer.from(`${lines.join("\n")}\n`, "utf8");
  const fd = openSync(path, "w");
  try {
    for (let n = 0; n < bytes; n += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** XmlWinEventLog lines of about `bytes` bytes. `cli` is the built Winnow CLI (for `export`). */
export function buildXml(bytes: number, cli: string): string {
  const path = join(benchDir(), `bench-${Math.round(bytes / 1e6)}mb.xml.log`);
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  const lines: string[] = [];
  for (const f of [
    "splunk-attack-data/certutil_exe_certificate_extraction.raw",
    "derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log",
  ]) {
    for (const l of readFileSync(join(DATA, f), "utf8").split(/\r?\n/))
      if (l.startsWith("<Event")) lines.push(l);
  }
  const exported = execFileSync(
    process.execPath,
    [cli, "export", "--quiet", "--format", "xml", ...EVTX_SOURCES.map((f) => join(DATA, f))],
    { maxBuffer: 1 << 30, encoding: "utf8" },
  );
  for (const l of exported.split("\n")) if (l.startsWith("<Event")) lines.push(l);
  return repeatLines(path, lines, bytes);
}

/** NXLog JSON lines (Splunk attack data) of about `bytes` bytes. */
export function buildJson(bytes: number): string {
  const path = join(benchDir(), `bench-${Math.round(bytes / 1e6)}mb.jsonl`);
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  const tmp = join(benchDir(), "json-src");
  mkdirSync(tmp, { recursive: true });
  const lines: string[] = [];
  for (const f of ["T1047_atomic_red_team_attack_data.tar.gz", "T1027_atomic_red_team_attack_data.tar.gz"]) {
    execFileSync("tar", ["-xzf", join(DATA, "splunk-attack-data", f), "-C", tmp]);
    for (const name of readdirSync(tmp)) {
      const p = join(tmp, name);
      if (!statSync(p).isFile()) continue;
      for (const l of readFileSync(p, "utf8").split(/\r?\n/)) if (l.startsWith("{")) lines.push(l);
      rmSync(p);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  return repeatLines(path, lines, bytes);
}

export function removeInput(path: string): void {
  rmSync(path, { force: true });
}
