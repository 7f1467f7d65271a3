/**
 * Alert sinks: JSON lines on stdout, a webhook POST; a webhook that fails is reported, not thrown. (Which lines
 * are new is the store's answer: store/write-volume.test.ts, risk-incidents.test.ts, bus-incidents.test.ts.)
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "node:test";
import { stdoutSink, webhookSink } from "../../../src/service/sinks/alert-sink.js";

it("writes JSON lines, and POSTs them to a webhook; a dead webhook is reported", async () => {
  let out = "";
  await stdoutSink((s) => {
    out += s;
  }).send(['{"a":1}', '{"b":2}']);
  assert.equal(out, '{"a":1}\n{"b":2}\n');

  const got: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      got.push(`${req.method} ${req.headers["content-type"]} ${body}`);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const problems: string[] = [];
  await webhookSink(`http://127.0.0.1:${port}/hook`, (m) => problems.push(m)).send(['{"a":1}']);
  await new Promise<void>((r) => server.close(() => r()));
  assert.deepEqual(got, ['POST application/json {"findings":[{"a":1}]}']);
  await webhookSink(`http://127.0.0.1:${port}/hook`, (m) => problems.push(m)).send(['{"a":1}']);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /webhook http:\/\/127\.0\.0\.1:\d+\/hook failed/);
});
