// Preloaded into the service by the ingest bench (with --expose-gc): SIGUSR2 runs a full garbage
// collection, so that the heap the bench then reads holds what is live, not what awaits collection.
process.on('SIGUSR2', () => globalThis.gc?.());
