/**
 * Preparing a letter: a case file's bytes → checked case data and the HTML of its
 * editions. This is the CPU-bound part of a build, so it can run on worker threads
 * (`createPreparer`), one per core; printing and writing stay on the main thread. The
 * check and the renderer (`prepare.ts`) are loaded where they run: by the worker
 * threads, or here only when preparing on this thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Case } from '../check/index.js';
import type { Diagnostic } from '../diagnostics.js';
import type { RendererOptions } from '../render/index.js';
import type { Edition } from '../render/model.js';
import { BuildError } from '../errors.js';
import { workerReply } from './messages.js';

/** What the build needs of a checked case (no Markdown trees: they stay where they were parsed). */
export type CaseInfo = Pick<Case, 'file' | 'data' | 'contentHash' | 'publicHash' | 'revisionSpan' | 'caseSpan'>;

export interface RenderedEdition {
  html: string;
  title: string;
  subject: string;
  keywords: string[];
  outcome: string;
}

export interface Prepared {
  info: CaseInfo;
  editions: Partial<Record<Edition, RenderedEdition>>;
  /** The public facts, as the JSON text written beside the public edition. */
  facts: string;
}

export interface PrepareResult {
  diagnostics: Diagnostic[];
  prepared: Prepared | undefined;
}

export interface Preparer {
  prepare(file: string, bytes: Uint8Array): Promise<PrepareResult>;
  close(): Promise<void>;
}

export interface PreparerOptions {
  renderer: RendererOptions;
  editions: readonly Edition[];
  assetBase: string;
  /** Worker threads (default: the machine's cores; 0 prepares on the calling thread). */
  workers?: number;
}

/**
 * A preparer on worker threads, or on this thread when `workers` is 0, when there is
 * one core, or when running from TypeScript sources (tests), where workers cannot load.
 */
export async function createPreparer(options: PreparerOptions): Promise<Preparer> {
  const workers = options.workers ?? os.availableParallelism();
  const script = new URL('./compile-worker.js', import.meta.url);
  if (workers <= 1 || !import.meta.url.endsWith('.js')) {
    const [{ prepareCase }, { createRenderer }] = await Promise.all([import('./prepare.js'), import('../render/index.js')]);
    const renderer = await createRenderer(options.renderer);
    return {
      prepare: async (file, bytes) => prepareCase(file, bytes, renderer, options.editions, options.assetBase),
      close: async () => undefined,
    };
  }
  const pool: { worker: Worker; busy: boolean }[] = [];
  const queue: { id: number; file: string; bytes: Uint8Array }[] = [];
  const pending = new Map<number, { resolve: (r: PrepareResult) => void; reject: (e: unknown) => void; slot?: { worker: Worker; busy: boolean } }>();
  let nextId = 0;
  const dispatch = () => {
    for (const slot of pool) {
      if (slot.busy || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.busy = true;
      pending.get(job.id)!.slot = slot;
      slot.worker.postMessage(job);
    }
  };
  for (let i = 0; i < workers; i++) {
    // A small old generation keeps each worker's heap (and the build's RSS) flat as letters stream through.
    const worker = new Worker(fileURLToPath(script), { workerData: { renderer: options.renderer, editions: options.editions, assetBase: options.assetBase }, resourceLimits: { maxOldGenerationSizeMb: 96 } });
    const slot = { worker, busy: false };
    worker.on('message', (raw: unknown) => {
      const message = workerReply.safeParse(raw);
      const id = message.success ? message.data.id : [...pending].find(([, p]) => p.slot === slot)?.[0];
      const p = id === undefined ? undefined : pending.get(id);
      if (id !== undefined) pending.delete(id);
      slot.busy = false;
      if (!message.success) p?.reject(new BuildError(`A worker thread answered with something that is not a compiled letter: ${message.error.issues[0]?.message}`));
      else if ('error' in message.data) p?.reject(new BuildError(message.data.error));
      else p?.resolve(message.data.result);
      dispatch();
    });
    worker.on('error', (error) => {
      for (const [id, p] of pending) {
        if (p.slot === slot) {
          pending.delete(id);
          p.reject(error);
        }
      }
    });
    pool.push(slot);
  }
  return {
    prepare: (file, bytes) =>
      new Promise<PrepareResult>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        queue.push({ id, file, bytes });
        dispatch();
      }),
    close: async () => {
      await Promise.all(pool.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * A preparer started by its first use, so a no-op rebuild (every file on the fast path)
 * starts no worker thread.
 */
export function lazyPreparer(options: PreparerOptions): Preparer {
  let started: Promise<Preparer> | undefined;
  return {
    prepare: (file, bytes) => {
      started ??= createPreparer(options);
      return started.then((p) => p.prepare(file, bytes));
    },
    close: async () => (await started?.catch(() => undefined))?.close(),
  };
}
