/**
 * A worker thread of `createPreparer`: loads the templates once, then checks and renders
 * the case files it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderer, type RendererOptions } from '../render/index.js';
import type { Edition } from '../render/model.js';
import { prepareCase } from './compile.js';

const data = workerData as { renderer: RendererOptions; editions: Edition[]; assetBase: string };
const renderer = await createRenderer(data.renderer);

parentPort!.on('message', (job: { id: number; file: string; bytes: Uint8Array }) => {
  try {
    const result = prepareCase(job.file, job.bytes, renderer, data.editions, data.assetBase);
    parentPort!.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
