import { setFlagsFromString } from 'node:v8';

/*
 * Imported first by main.ts. Under sustained load the API's old space grows from per-request garbage that outlived a
 * scavenge (requests in flight across several database round trips), and V8's default heap growing lets it reach
 * three to four times the live heap before the first full collection: measured under the PATCH load of
 * `npm run bench:api`, 46 MB live, old space at 104 MB and RSS at 256 MB. Growing by at most half the live heap per
 * step keeps RSS near 175 MB; the extra full collections (about 10 ms each, every few seconds under that load) cost
 * no CPU per request that the benchmark can tell apart from its noise.
 */
setFlagsFromString('--heap-growing-percent=50');
