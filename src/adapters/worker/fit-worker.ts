/**
 * Worker-thread entry for model fitting: receives { id, request }, answers { id, result } or
 * { id, error }. Built, it is the worker's entry; from the sources it is loaded through
 * fit-worker-boot.mjs, which registers tsx in this thread first.
 */
import { parentPort } from 'node:worker_threads';
import { type FitRequest, runFit } from '../../services/modelling/fit-job.js';

interface Envelope {
  readonly id: number;
  readonly request: FitRequest;
}

parentPort?.on('message', (message: Envelope) => {
  try {
    parentPort?.postMessage({ id: message.id, result: runFit(message.request) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message ?? String(error) });
  }
});
