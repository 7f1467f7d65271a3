// The JSON reference of the benchmark: read a JSON-lines file in 1 MiB pieces, split it into lines and
// JSON.parse each one — nothing else. Prints the number of objects parsed.
import { createReadStream } from "node:fs";

let rest = "";
let n = 0;
const stream = createReadStream(process.argv[2], { encoding: "utf8", highWaterMark: 1024 * 1024 });
for await (const piece of stream) {
  const text = rest + piece;
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
    if (nl > start) {
      JSON.parse(text.slice(start, nl));
      n++;
    }
    start = nl + 1;
  }
  rest = text.slice(start);
}
if (rest.trim() !== "") {
  JSON.parse(rest);
  n++;
}
console.log(n);
