// Runs calculator cases in real Pyodide under Node.js, from a built site:
// the vendored runtime and the wheel registered in the site's lock file.
//
//   node tests/pyodide_runner.mjs <runtime dir> <pyodide-lock.json> <cases.json>
//
// Prints a JSON array with `calculators.compute(...).to_dict()` per case.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [runtimeDir, lockfile, casesFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(runtimeDir) + path.sep,
  lockFileURL: path.resolve(lockfile),
  packageBaseUrl: path.dirname(path.resolve(lockfile)) + path.sep,
  stdout: (line) => process.stderr.write(line + "\n"),
});
await pyodide.loadPackage("kennisbank-calculators", { messageCallback: () => {} });
pyodide.globals.set("cases_json", readFileSync(casesFile, "utf8"));
const output = pyodide.runPython(`
import json
import calculators
json.dumps([
    calculators.compute(case["calculator"], case["inputs"]).to_dict()
    for case in json.loads(cases_json)
])
`);
process.stdout.write(output);
