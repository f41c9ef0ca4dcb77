import type { Memento } from 'vscode';

/** VS Code's workspace state, as the extension host keeps it: values go through JSON. */
export class MemoryMemento implements Memento {
  private readonly values = new Map<string, string>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? defaultValue : (JSON.parse(value) as T);
  }
  /** Set to make every write fail, as VS Code's storage does when it cannot write (a full disk, a closed database). */
  failWrites?: Error;
  /**
   * Per update, the JSON size of the whole state: what the extension host sends the workbench each time
   * (ExtHostMemento sends the extension's every key, not the one updated).
   */
  readonly sentChars: number[] = [];
  update(key: string, value: unknown): Thenable<void> {
    if (this.failWrites) return Promise.reject(this.failWrites);
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
    this.sentChars.push(JSON.stringify(Object.fromEntries([...this.values].map(([name, json]) => [name, JSON.parse(json) as unknown]))).length);
    return Promise.resolve();
  }
  /** What the state holds now, apart from what is written later: the database a window that died now would leave. */
  snapshot(): MemoryMemento {
    const copy = new MemoryMemento();
    for (const [key, value] of this.values) copy.values.set(key, value);
    return copy;
  }
}
