import { resolve } from 'node:path';

/** Where the local twin keeps its data: `LOGICNODES_DATA_DIR`, or `.local/` in this folder. */
export function localDataDir(): string {
  return resolve(process.env.LOGICNODES_DATA_DIR ?? '.local');
}
