// Runs async sections one at a time: batch processing, the flush tick and restores all touch the
// same in-memory state and producers, and must never interleave.
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
