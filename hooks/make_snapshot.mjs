// Makes the Pyodide memory snapshot the browser restores instead of starting Python
// (hooks/pyodide_snapshot.py runs this with Node.js during the build).
//
//   node hooks/make_snapshot.mjs <runtime dir> <files.json> <out file>
//
// files.json maps paths inside site-packages to the calculators' sources. They are
// written with `fsInit` before Python starts, exactly as the worker does when it
// restores: the file system is not part of a snapshot, and loading a package the
// normal way before snapshotting would leave state that cannot be restored.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtimeDir, filesJson, out] = process.argv.slice(2);
const files = JSON.parse(readFileSync(filesJson, "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);

const pyodide = await loadPyodide({
  indexURL: path.resolve(runtimeDir) + path.sep,
  _makeSnapshot: true,
  stdout: (line) => process.stderr.write(line + "\n"),
  fsInit: async (FS, { sitePackages }) => {
    for (const [name, text] of Object.entries(files)) {
      FS.mkdirTree(path.posix.dirname(`${sitePackages}/${name}`));
      FS.writeFile(`${sitePackages}/${name}`, text);
    }
  },
});

// Import everything the browser will use, and use it once, so that nothing is
// imported lazily after a restore (the standard library is not fetched then).
// Python must hold no JavaScript object here: those cannot be serialised.
pyodide.runPython(`
import importlib
import json
import pkgutil

import calculators

for _module in pkgutil.iter_modules(calculators.__path__):
    if _module.name != "__main__":
        importlib.import_module(f"calculators.{_module.name}")

try:
    from calculators.web import handle as _handle
except ImportError:
    _handle = None

for _id, _calculator in calculators.registry.items():
    _inputs = {f.name: calculators.format_input(f.example, f.kind) for f in _calculator.fields}
    calculators.compute(_id, _inputs).to_dict()
    calculators.compute(_id, {f.name: "x" for f in _calculator.fields}).to_dict()
    if _handle is not None:
        _handle(json.dumps({"op": "compute", "calculator": _id, "inputs": _inputs}))
del _module, _id, _calculator, _inputs, _handle
`);

writeFileSync(out, pyodide.makeMemorySnapshot());
