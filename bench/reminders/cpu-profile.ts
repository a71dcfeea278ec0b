import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time that was not idle, ms. */
  busyMs: number;
  byArea: { area: string; ms: number }[];
  byFunction: { name: string; area: string; ms: number }[];
}

/** Where a function lives: an npm package, Node's own code, the project (apps/libs path), or V8 itself. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const own = /dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  return own ? `project ${own[1]}` : url;
}

/** Self time by area and by function from the newest .cpuprofile in `dir`. */
export function summariseNewestProfile(dir: string, top = 20): ProfileSummary | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) return null;
  const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; area: string; ms: number }>();
  let busyMs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const ms = us / 1000;
    busyMs += ms;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : ''}`;
    const entry = functions.get(name) ?? { name, area, ms: 0 };
    entry.ms += ms;
    functions.set(name, entry);
  }
  return {
    file: files[0],
    busyMs,
    byArea: [...areas].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms),
    byFunction: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}
