// Entry of the embedded database's thread: a worker does not inherit the TypeScript
// loader of the thread that starts it, so this file registers it and loads the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./embedded-worker.ts');
