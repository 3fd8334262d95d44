"""Self-hosted Pyodide for the site: the calculators wheel, its lock file and the snapshot."""
