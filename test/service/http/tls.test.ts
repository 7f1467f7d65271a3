/**
 * `--tls-cert/--tls-key`: the HEC server speaks HTTPS with the given certificate (a throwaway self-signed one
 * made with openssl; the test skips when openssl is absent).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { createHecServer } from "../../../src/service/http/hec-server.js";

let openssl = true;
try {
  execFileSync("openssl", ["version"], { stdio: "ignore" });
} catch {
  openssl = false;
}

it("serves HEC over HTTPS with the given certificate", {
  skip: openssl ? false : "openssl not found",
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-tls-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    const accepted: number[] = [];
    const server = createHecServer({
      token: "t",
      intake: { accept: async (b) => void accepted.push(b.events.length), close: async () => {} },
      tls: { cert: readFileSync(cert), key: readFileSync(key) },
    });
    const { port } = await server.listen("127.0.0.1", 0);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/services/collector/event",
          method: "POST",
          ca: readFileSync(cert),
          headers: { authorization: "Splunk t" },
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            body += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end('{"event":"not a windows event"}');
    });
    await server.close();
    assert.deepEqual(reply, { status: 200, body: '{"text":"Success","code":0}' });
    // The envelope was valid HEC but not a Windows event: accepted, counted, nothing to store.
    assert.equal(server.counters.unreadable, 1);
    assert.deepEqual(accepted, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
