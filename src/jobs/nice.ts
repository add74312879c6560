import { setPriority } from 'node:os';
import { EXPORT_THREAD_NICE } from '../limits.ts';

/**
 * Lowers the calling thread's scheduling priority to EXPORT_THREAD_NICE (on Linux a nice value is a
 * thread's own; elsewhere it may apply to the process, which is refused or harmless). Where the system
 * refuses, the thread runs at the priority it has.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(EXPORT_THREAD_NICE);
  } catch {
    // Not permitted here: the thread keeps its priority.
  }
}
