/**
 * The bench's record maker, in a worker thread (the second core): asked for a range of
 * generator indexes, it answers with their search records (`search-records.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateCase } from '../generate/index.js';
import { searchLetterOf } from './search-records.js';

const { seed } = workerData as { seed: number };
parentPort!.on('message', (m: { from: number; to: number }) => {
  const batch = [];
  for (let i = m.from; i < m.to; i++) batch.push(searchLetterOf(generateCase(seed, i)));
  parentPort!.postMessage(batch);
});
