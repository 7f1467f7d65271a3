/**
 * The `winnow` command line: flags → options → the programmatic API. Commands live in commands/*.ts.
 */
import { isMainThread } from "node:worker_threads";
import { Command, CommanderError, Option } from "commander";
import { runExport } from "./commands/export.js";
import { runHunt } from "./commands/hunt.js";
import { runValidate } from "./commands/validate.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { describeError } from "./output-paths.js";

const collect = (value: string, previous: string[]) => [...previous, value];

function buildProgram(): Command {
  const program = new Command()
    .name("winnow")
    .description(
      // One paragraph: commander wraps it to the terminal (a fixed line break here wrapped a second time).
      "Run Splunk Security Content (ESCU) detections over Windows event logs (EVTX, Splunk XmlWinEventLog, " +
        "Winlogbeat/ECS/NXLog JSON, classic WinEventLog text) and get the rows and risk events Splunk ES would.",
    )
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes:
  0    the run completed (with or without findings)
  1    findings were returned and --fail-on-findings was given, even if some input could not be read
  2    usage error, a --content folder that could not be read, a detection named with -d that cannot run, an
       output file that cannot be written (checked before the run; a write error during it, e.g. a full disk,
       too), or serve/worker could not start
  3    the run completed, but some input could not be read (see the summary on stderr)
  70   internal error: a bug in Winnow (the message has a stack trace; please report it)
  141  stdout was closed early (e.g. | head -1): Winnow stops quietly, as a Unix tool killed by SIGPIPE does
  When several apply, 2 wins over 1, and 1 over 3.
  validate's 1: some detections cannot run. test's 1: a test failed or could not run.
  A detection in the content that cannot run (bad YAML, unknown macro, unsupported SPL) is named on stderr,
  even with -q (the first 20, then a count of the rest by reason), and counted; the others run and it does
  not change the exit code: gate content in CI with "winnow validate" (exit 1).

Output files:
  Every output option takes - for standard output, as an input - is standard input. No output may be a file
  the command reads (an input file, one found in an input folder, a content file): exit 2 before the run.

Examples:
  winnow hunt examples/                       hunt with the built-in WinRM/winrs detection
  winnow hunt logs/ --format jsonl > rows.jsonl --risk risk.jsonl
  winnow hunt logs/ --content ~/security_content --stats-json stats.json`,
    );

  program
    .command("hunt")
    .description("run detections over log files and folders (recursively); formats are detected from content")
    .argument(
      "<paths...>",
      "files or folders: .evtx, XmlWinEventLog, JSON lines, classic text, .gz, .zip, .tar.gz; - reads stdin",
    )
    .option(
      "-c, --content <dir>",
      "add a security_content-style tree (detections/, macros/, lookups/); repeatable",
      collect,
      [],
    )
    .option(
      "-d, --detection <name-or-id>",
      'run only this detection; repeatable ("WinRM Pack - Lateral Movement Edge" runs the pack\'s detections it is computed from, and prints only its edges)',
      collect,
      [],
    )
    .option("--include-deprecated", "also run detections whose status is deprecated", false)
    .addOption(
      new Option("-f, --format <format>", "how result rows are written")
        .choices(["table", "jsonl", "csv"])
        .default("table"),
    )
    .option("-o, --output <file>", "write result rows to a file instead of stdout (- is stdout)")
    .option("--risk <file>", "write risk events (JSON lines, as Splunk ES RBA would) to a file (- is stdout)")
    .option("--notables <file>", "write notable events (JSON lines) to a file (- is stdout)")
    .option("--stats-json <file>", "write the run summary as JSON (schema: docs/stats-json.md; - is stdout)")
    .option(
      "--fail-on-findings",
      "exit 1 when any detection returns rows, even if some input could not be read (for CI)",
      false,
    )
    .option("--no-progress", "never show a progress bar")
    .option(
      "-q, --quiet",
      "print no progress, input problems or summary on stderr; a detection that cannot run is still named",
      false,
    )
    // WinRM lateral-movement pack (docs/detections.md)
    .option("--no-pack", "do not run the built-in WinRM pack (its detections and edge correlation)")
    .option("--graph <file>", "write the WinRM pack's lateral-movement graph to a file (- is stdout)")
    .addOption(
      new Option("--graph-format <format>", "format of --graph").choices(["dot", "json"]).default("dot"),
    )
    .option("--lm-window <seconds>", "WinRM pack: max seconds between the two sides of an edge", "300")
    .option(
      "--workers <n>",
      "readers: the main thread and n - 1 threads (default 2 when the input is EVTX files of 512 MiB or more and there are 2 cores, else 1: below that a second reader costs more than it saves)",
    )
    .option("--strict", "stop at the first input problem (exit 3, no rows); lenient is the default", false)
    .option(
      "--carve-slack",
      "EVTX: also read the records left in chunk slack (stale copies, events from before a chunk was reused), marked recovered; by default they are only counted",
      false,
    )
    .option(
      "--explain",
      'under each row, the source events (file, record/line) and which where clause matched which value; jsonl adds an "explain" field (not with csv)',
      false,
    )
    .addHelpText(
      "after",
      `
Output columns are the detection's own, in its order; jsonl rows add "detection" and "detection_id".
The built-in detection is "Remote Process Instantiation via WinRM and Winrs" (ESCU, T1021.006).
An output given - goes to stdout, where the rows go too unless -o FILE sends them elsewhere: two outputs on
stdout are refused. No output may be an input (a file given, one in a given folder, a content file).`,
    )
    .action(async (paths: string[], opts) => {
      process.exitCode = await runHunt(paths, {
        content: opts.content,
        detection: opts.detection,
        includeDeprecated: opts.includeDeprecated,
        format: opts.format,
        output: opts.output,
        risk: opts.risk,
        notables: opts.notables,
        statsJson: opts.statsJson,
        failOnFindings: opts.failOnFindings,
        progress: opts.progress,
        quiet: opts.quiet,
        pack: opts.pack,
        graph: opts.graph,
        graphFormat: opts.graphFormat,
        lmWindow: Number(opts.lmWindow),
        explain: opts.explain,
        strict: opts.strict,
        carveSlack: opts.carveSlack,
        workers: opts.workers === undefined ? undefined : Number(opts.workers),
      });
    });

  program
    .command("export")
    .description("write the decoded events of log files (EVTX or any readable format) one per line")
    .argument("<paths...>", "files or folders")
    .addOption(
      new Option(
        "-f, --format <format>",
        "xml: Splunk XmlWinEventLog lines; jsonl: one JSON object per event",
      )
        .choices(["xml", "jsonl"])
        .default("xml"),
    )
    .option("-o, --output <file>", "write to a file instead of stdout (- is stdout; not one of the inputs)")
    .option("-q, --quiet", "print no diagnostics or summary on stderr", false)
    .option(
      "--carve-slack",
      'EVTX: also write the records left in chunk slack (jsonl marks them "recovered": true); by default they are only counted',
      false,
    )
    .addHelpText(
      "after",
      `
Examples:
  winnow export Security.evtx > security.xml.log         EVTX → XmlWinEventLog lines Splunk can ingest
  winnow export Sysmon.evtx --format jsonl -o sysmon.jsonl`,
    )
    .action(async (paths: string[], opts) => {
      process.exitCode = await runExport(paths, {
        format: opts.format,
        output: opts.output,
        quiet: opts.quiet,
        carveSlack: opts.carveSlack,
      });
    });

  program
    .command("validate")
    .description("check which detections can run: each one loaded, or not with the construct and position")
    .option(
      "-c, --content <dir>",
      "a security_content-style tree to check (the built-in content is always included); repeatable",
      collect,
      [],
    )
    .addOption(
      new Option(
        "-f, --format <format>",
        "text: a line per detection and a summary per data model; json: one object per line",
      )
        .choices(["text", "json"])
        .default("text"),
    )
    .option(
      "--datamodel <name>",
      "only detections that read this data model, e.g. Endpoint.Processes (any case); the summary and exit code are about those",
    )
    .option("--failed", "only detections that cannot run", false)
    .addHelpText(
      "after",
      `
JSON lines carry: name, id, file, status (the YAML's own), datamodels, loaded, and reason when not loaded.
Exit codes: 0 every detection can run (of those --datamodel names); 1 some cannot; 2 usage error (a
--datamodel no loaded detection reads: the message lists those that are read) or content that could not be
loaded.

Examples:
  winnow validate --content ~/security_content --datamodel Endpoint.Processes --failed
  winnow validate --content ~/security_content --format json | jq -r 'select(.loaded|not).reason'`,
    )
    .action(async (opts) => {
      process.exitCode = await runValidate({
        content: opts.content,
        format: opts.format,
        datamodel: opts.datamodel,
        onlyFailed: opts.failed,
      });
    });

  program
    .command("test")
    .description(
      "test detections offline with their tests: attack data replayed, contentctl's pass rule, risk checks",
    )
    .argument(
      "[detections...]",
      "test only these detections (name or id); all detections with tests when none",
    )
    .option(
      "-c, --content <dir>",
      "add a security_content-style tree (detections/, macros/, lookups/); repeatable",
      collect,
      [],
    )
    .option(
      "--data-root <spec>",
      "PREFIX=DIR maps data references starting with PREFIX (a URL prefix, or shared:) to DIR; DIR alone is a clone of splunk/attack_data; DIR must be a folder that exists; repeatable",
      collect,
      [],
    )
    .option(
      "--junit <file>",
      "also write the outcomes as JUnit XML (for CI); - writes it to stdout and the status list to stderr",
    )
    .addOption(
      new Option("-f, --format <format>", "table: a status line per test; json: one object per test per line")
        .choices(["table", "json"])
        .default("table"),
    )
    .option("--include-deprecated", "also test detections whose status is deprecated", false)
    .option("-q, --quiet", "print no content warnings or summary on stderr", false)
    .addHelpText(
      "after",
      `
A test whose attack data is not on this machine is skipped as "data missing" (not a failure).
Data references: a path is relative to the detection's YAML folder; shared:… is ../shared/ beside the repo
unless --data-root shared:=DIR is given. See docs/testing.md.
Exit codes: 0 every test passed (skips allowed); 1 a test failed or could not run; 2 usage or content error
(a --data-root DIR that is not a folder, or a PREFIX without a scheme, too).

Examples:
  winnow test                                              the built-in detection's tests
  winnow test --content ~/security_content --data-root ~/attack_data --junit junit.xml`,
    )
    .action(async (detections: string[], opts) => {
      const { runTest } = await import("./commands/test.js");
      process.exitCode = await runTest(detections, {
        content: opts.content,
        dataRoot: opts.dataRoot,
        junit: opts.junit,
        format: opts.format,
        includeDeprecated: opts.includeDeprecated,
        quiet: opts.quiet,
      });
    });

  // doctor (issue #5): could each detection fire on this data?
  program
    .command("doctor")
    .description("for each detection, could it fire on these logs? sources seen, fields needed, near misses")
    .argument("<paths...>", "files or folders (the same inputs as hunt)")
    .option(
      "-c, --content <dir>",
      "add a security_content-style tree (detections/, macros/, lookups/); repeatable",
      collect,
      [],
    )
    .option("-d, --detection <name-or-id>", "only this detection; repeatable", collect, [])
    .option("--include-deprecated", "also diagnose deprecated detections", false)
    .addOption(
      new Option("-f, --format <format>", "text: a page for a terminal; json: the whole report")
        .choices(["text", "json"])
        .default("text"),
    )
    .option("-q, --quiet", "print no content warnings or input problems on stderr", false)
    .addHelpText(
      "after",
      `
Verdicts: fires, could-fire (records pass the where clause, later stages drop them), cannot-fire (no records
of its data model, or no record passes the where clause: the clauses are listed with how many records each
holds on), cannot-run (content/SPL problem), excluded (deprecated). See README "Why didn't it fire?".
Input problems (unreadable files, damaged records with file, chunk, record and offset) are printed on stderr
as hunt prints them.
Exit codes: 0 the report was written; 2 usage or content error; 3 the report was written, but some input could
not be read (as hunt).

Examples:
  winnow doctor logs/
  winnow doctor logs/ --detection "Remote Process Instantiation via WinRM and Winrs" --format json`,
    )
    .action(async (paths: string[], opts) => {
      const { runDoctor } = await import("./commands/doctor.js");
      process.exitCode = await runDoctor(paths, {
        content: opts.content,
        detection: opts.detection,
        includeDeprecated: opts.includeDeprecated,
        format: opts.format,
        quiet: opts.quiet,
      });
    });

  // serve / worker (issue #9): HEC intake, continuous detection, scale-out on JetStream.
  program
    .command("serve")
    .description("receive events over Splunk's HTTP Event Collector protocol and detect continuously")
    .option("--listen <host:port>", "address to listen on", "127.0.0.1:8088")
    .option(
      "--token <token>",
      "HEC token clients send as 'Authorization: Splunk <token>' (or WINNOW_HEC_TOKEN)",
    )
    .option(
      "--store <url|file>",
      "results store: a SQLite file, or postgres://… (default winnow-results.sqlite)",
    )
    .option("-c, --content <dir>", "add a security_content-style tree; repeatable", collect, [])
    .option("-d, --detection <name-or-id>", "run only this detection; repeatable", collect, [])
    .option(
      "--bus <nats://…>",
      "publish events to NATS JetStream for `winnow worker`s instead of detecting here",
    )
    .option("--stream <name>", "JetStream stream name (default WINNOW_EVENTS)")
    .option("--subject-prefix <prefix>", "JetStream subject prefix (default winnow.events)")
    .option("--tls-cert <file>", "serve HTTPS with this certificate (PEM)")
    .option("--tls-key <file>", "private key for --tls-cert (PEM)")
    .option("--webhook <url>", "POST new findings as JSON to this URL")
    .option("--no-alerts", "do not print new findings as JSON lines on stdout")
    .option("--max-body-bytes <n>", "largest request body, after gzip (default 64 MiB)")
    .option("--max-event-bytes <n>", "largest single HEC envelope (default 5 MiB)")
    .option("--scheduled", "also run each detection as ES schedules it: 0 * * * * over -70m@m..-10m@m", false)
    .option("--watch <dir>", "also read log files dropped into this folder (polled every 2 s)")
    .option(
      "--risk-threshold <n>",
      "raise ES's risk incident when an entity's 24-hour risk sum passes N (stored, alerted, in /api/notables)",
      "100",
    )
    .option("--lm-window <seconds>", "WinRM pack: max seconds between the two sides of an edge", "300")
    .addHelpText(
      "after",
      `
Endpoints: POST /services/collector/event, /services/collector/raw, /services/collector/ack;
GET /services/collector/health; GET /api/findings, /api/risk?object=…, /api/risk/rollup, /api/notables,
/api/scheduled.
See docs/service.md.`,
    )
    .action(async (opts) => {
      const { runServe } = await import("./commands/serve.js");
      process.exitCode = await runServe(opts);
    });

  program
    .command("worker")
    .description("run detections on events from NATS JetStream and merge results into PostgreSQL")
    .requiredOption("--bus <nats://…>", "NATS server with JetStream")
    .requiredOption("--store <postgres://…>", "PostgreSQL results store shared by all workers")
    .option("-c, --content <dir>", "add a security_content-style tree; repeatable", collect, [])
    .option("-d, --detection <name-or-id>", "run only this detection; repeatable", collect, [])
    .option("--stream <name>", "JetStream stream name (default WINNOW_EVENTS)")
    .option("--subject-prefix <prefix>", "JetStream subject prefix (default winnow.events)")
    .option("--durable <name>", "shared durable consumer name (default winnow-workers)")
    .option("--batch <n>", "messages per fetch", "100")
    .option(
      "--ack-wait <seconds>",
      "redeliver a message not acknowledged within this time (consumer creation)",
      "30",
    )
    .option("--webhook <url>", "POST new findings as JSON to this URL")
    .option("--no-alerts", "do not print new findings as JSON lines on stdout")
    .option(
      "--risk-threshold <n>",
      "raise ES's risk incident when an entity's 24-hour risk sum passes N (each once, across all workers)",
      "100",
    )
    .option("--lm-window <seconds>", "WinRM pack: max seconds between the two sides of an edge", "300")
    .action(async (opts) => {
      const { runWorker } = await import("./commands/worker.js");
      process.exitCode = await runWorker(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`winnow: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

/**
 * Standard output or error closed early (`winnow … | head -1`) stops the process at once and quietly, as a
 * Unix tool killed by SIGPIPE does; any other write error on them (`> /dev/full`) is one line and exit 2.
 */
export function handleStdioErrors(): void {
  const onError = (name: string) => (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") process.exit(EXIT.brokenPipe);
    if (name === "standard output") {
      try {
        process.stderr.write(`winnow: cannot write to ${name}: ${describeError(err)}\n`);
      } catch {
        // stderr is gone too: the exit code says it
      }
    }
    process.exit(EXIT.usage);
  };
  process.stdout.on("error", onError("standard output"));
  process.stderr.on("error", onError("standard error"));
}

// The bundled CLI is also the code of hunt's reader threads (engine/worker-module.ts): run it on the main thread only.
if (isMainThread) handleStdioErrors();
if (isMainThread)
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `winnow: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = EXIT.internal;
    },
  );
