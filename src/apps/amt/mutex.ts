/**
 * A small async mutex: `run(task)` starts `task` once every task queued before it has settled, so
 * the AMT app handles one request to a platform's AMT state at a time (PTHI, MEBX, WS-Man, security
 * events), each with its own staged changes and its own commit. A task that fails does not block
 * the ones after it.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
