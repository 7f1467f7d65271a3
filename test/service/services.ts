/**
 * The services the bus and PostgreSQL tests need (NATS JetStream on 127.0.0.1:4222, PostgreSQL on
 * 127.0.0.1:5432, database `test`): whether they answer, and the skip reason when they do not. With
 * WINNOW_REQUIRE_SERVICES=1 (CI) nothing is skipped: the tests run and fail.
 */
import { connect as tcpConnect } from "node:net";

export const NATS = "nats://127.0.0.1:4222";
export const PG = "postgres://postgres@127.0.0.1:5432/test";

export function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/** The services among `needs` that do not answer, by name. */
export async function missingServices(needs: readonly ("nats" | "postgres")[]): Promise<string[]> {
  const out: string[] = [];
  if (needs.includes("nats") && !(await reachable(4222))) out.push("NATS JetStream at 127.0.0.1:4222");
  if (needs.includes("postgres") && !(await reachable(5432))) out.push("PostgreSQL at 127.0.0.1:5432");
  return out;
}

/** The `skip` option for tests that need these services (false: run), printing why when skipping. */
export async function skipWithout(
  what: string,
  needs: readonly ("nats" | "postgres")[],
): Promise<string | false> {
  const missing = await missingServices(needs);
  if (missing.length === 0 || process.env.WINNOW_REQUIRE_SERVICES === "1") return false;
  const reason = `needs ${missing.join(" and ")} (not reachable)`;
  process.stdout.write(`# SKIP ${what}: ${reason}; set WINNOW_REQUIRE_SERVICES=1 to make this a failure\n`);
  return reason;
}
