// The scan worker's modules bundled into a few files (`npm run build`, after tsc): a worker thread starts with a
// cold module loader, and loading the ~90 modules a scan needs one by one cost the worker ~37 ms of CPU before its
// first read, against ~20 ms bundled (issue 14). Built from tsc's output in dist/, so the code is tsc's, module for
// module; npm packages and Node's built-ins stay imports. Commands other than scan stay separate chunks, loaded only
// if asked for, as in dist/src. run-in-worker.ts uses the bundle only when it is at least as new as tsc's output.
export default {
  input: { 'worker-entry': 'dist/src/cli/worker-entry.js' },
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  platform: 'node',
  logLevel: 'warn',
  output: {
    dir: 'dist/src/cli/worker-bundle',
    format: 'esm',
    chunkFileNames: '[name]-[hash].js',
    cleanDir: true,
  },
};
