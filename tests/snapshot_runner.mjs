// Restores Python from a built site's snapshot file under Node.js, as the
// browser's worker does (calculator/worker/restore.mjs), and runs Python in it.
//
//   node tests/snapshot_runner.mjs <runtime dir> <pyodide-lock.json> <snapshot.….bin> <code.py>
//
// Prints the value of the code's last expression (a JSON text). Unlike the
// browser, the standard library is there to read: a test sees what a restored
// Python would have to read from it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// Failures end with their message (a Python traceback), not minified runtime code.
process.on("uncaughtException", (error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});

const [runtimeDir, lockfile, snapshotFile, codeFile] = process.argv.slice(2);
const PAGE = 4096;

const file = readFileSync(snapshotFile);
if (file.subarray(0, 8).toString() !== "KBSNAP02") throw new Error("not a Kennisbank snapshot");
const length = file.readUInt32LE(8);
const header = JSON.parse(file.subarray(12, 12 + length).toString());
const memory = new Uint8Array(header.length);
let at = 12 + length;
for (const [first, count] of header.runs) {
  memory.set(file.subarray(at, at + count * PAGE), first * PAGE);
  at += count * PAGE;
}

// The pages left out are the fresh runtime's own: copied in just before Pyodide
// writes the snapshot into Python's memory, as the worker does.
const set = Int8Array.prototype.set;
Int8Array.prototype.set = function (source, offset) {
  if (source?.buffer === memory.buffer) {
    for (const page of header.pages.pages) {
      source.set(new Uint8Array(this.buffer, page * PAGE, PAGE), page * PAGE);
    }
  }
  return set.call(this, source, offset);
};
const { loadPyodide } = await import(pathToFileURL(path.join(runtimeDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(runtimeDir) + path.sep,
  lockFileURL: path.resolve(lockfile),
  stdout: (line) => process.stderr.write(line + "\n"),
  fsInit: async (FS, { sitePackages }) => {
    for (const [name, text] of Object.entries(header.files)) {
      FS.mkdirTree(path.posix.dirname(`${sitePackages}/${name}`));
      FS.writeFile(`${sitePackages}/${name}`, text);
    }
  },
  _loadSnapshot: memory,
});
Int8Array.prototype.set = set;
// Pyodide's restore is over: the modules held unrun now run when used.
pyodide.pyimport("sitecustomize").start_up_done();
process.stdout.write(pyodide.runPython(readFileSync(codeFile, "utf8")));
