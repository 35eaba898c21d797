/**
 * A worker thread of `createPreparer`: loads the templates once, then checks and renders
 * the case files it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderer } from '../render/index.js';
import { prepareCase } from './prepare.js';
import { workerJob, workerStart } from './messages.js';

const data = workerStart.parse(workerData);
const renderer = await createRenderer(data.renderer);

parentPort!.on('message', (raw: unknown) => {
  const job = workerJob.parse(raw);
  try {
    const result = prepareCase(job.file, job.bytes, renderer, data.editions, data.assetBase);
    parentPort!.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
