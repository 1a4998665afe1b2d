import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Who opened the embedded store: the long-running twin, or a short CLI command. */
export type StoreRole = 'twin' | 'cli';

export interface StoreOwner {
  readonly pid: number;
  readonly role: StoreRole;
  /** Where the owner serves the store; absent while it is still starting. */
  readonly endpoint?: string;
}

/**
 * The owner file records which process has the store open. Creating it is atomic (`wx`), so
 * exactly one process wins; a file left by a process that died is recognised and removed.
 */
export class OwnerFile {
  constructor(private readonly path: string) {}

  /** Takes ownership if nobody holds it. */
  claim(role: StoreRole): boolean {
    try {
      writeFileSync(this.path, JSON.stringify({ pid: process.pid, role }), {
        flag: 'wx',
        mode: 0o600,
      });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  /** Records where this process serves the store, once it does. */
  publish(role: StoreRole, endpoint: string): void {
    writeFileSync(this.path, JSON.stringify({ pid: process.pid, role, endpoint }), { mode: 0o600 });
  }

  /** The live owner, or undefined when there is none (a dead owner's file is removed). */
  current(): StoreOwner | undefined {
    let owner: StoreOwner;
    try {
      owner = JSON.parse(readFileSync(this.path, 'utf8')) as StoreOwner;
    } catch {
      return undefined;
    }
    if (isAlive(owner.pid)) return owner;

    this.release();
    return undefined;
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
