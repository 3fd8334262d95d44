// Runs calculator requests in real Pyodide under Node.js, from a built site:
// the vendored runtime and the wheel registered in the site's lock file.
//
//   node tests/pyodide_runner.mjs <runtime dir> <pyodide-lock.json> <requests.json>
//
// <requests.json> is a JSON array of request texts; prints a JSON array with
// `calculators.web.handle(request)` (a JSON text) per request, the browser's entry point.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [runtimeDir, lockfile, requestsFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(runtimeDir) + path.sep,
  lockFileURL: path.resolve(lockfile),
  packageBaseUrl: path.dirname(path.resolve(lockfile)) + path.sep,
  stdout: (line) => process.stderr.write(line + "\n"),
});
await pyodide.loadPackage("kennisbank-calculators", { messageCallback: () => {} });
pyodide.globals.set("requests_json", readFileSync(requestsFile, "utf8"));
const output = pyodide.runPython(`
import json
from calculators.web import handle
json.dumps([handle(request) for request in json.loads(requests_json)])
`);
process.stdout.write(output);
