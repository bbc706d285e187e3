// Worker entry: registers tsx in this thread (workers do not inherit loader hooks), then
// runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./summarize-shard.ts');
