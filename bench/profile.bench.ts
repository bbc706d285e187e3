/**
 * Identity resolution + merge: 1,000,000 raw observations over 200,000 people through
 * `graph.ingest()` — validation, email and phone normalization, identity resolution,
 * field-level merge with provenance and change records, one thread. Prints throughput
 * (wall clock and per CPU-second), garbage collection time, peak heap and heap per
 * profile. Targets (issue 2): ≥ 200,000 observations/s on one core, ≤ 2 KB heap per
 * profile.
 *
 * The observations are what collectors send, not pre-parsed values: emails in mixed case
 * and with stray spaces, phone numbers in five national and international formats (the
 * model's default region is CN), CRM timestamps as ISO 8601 text, external ids as single
 * strings, web events without `kind`.
 *
 * Then a calibration: the same observations through a bare loop doing only the work no
 * ingestion can skip (see `calibrate`), the ceiling this machine sets for the workload.
 *
 * Then the same observations again, split: parsing alone (`model.parseObservation`,
 * the fast path) and `ingestParsed` alone; and a sample through the full zod schema
 * (`validate(model.Observation, …)`), the path every input took before the fast path.
 * Run with `npm run bench profile` (bench/index.ts passes --expose-gc).
 */
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { parsePhoneNumber } from 'libphonenumber-js/core';
import minMetadata from 'libphonenumber-js/min/metadata';
import { validate } from 'guanxi';
import { createIdentityGraph, createProfileModel, type IdentityGraph, type ObservationOf, type ProfileModel } from 'guanxi/profile';

const people = Number(process.env.PROFILE_BENCH_PEOPLE ?? 200_000);
const observations = Number(process.env.PROFILE_BENCH_OBSERVATIONS ?? 1_000_000);
const chunk = Number(process.env.PROFILE_BENCH_BATCH ?? 1_000);

// A small deterministic generator (mulberry32), so every run sees the same data.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sources = ['web', 'app', 'crm', 'pos'] as const;
const stages = ['pool', 'lead', 'prospect', 'customer', 'loyal'] as const;
const languages = ['zh', 'en', 'de', 'ja'] as const;
const plans = ['free', 'basic', 'pro'] as const;
const tags = ['vip', 'b2b', 'newsletter', 'wholesale'] as const;
const start = Date.parse('2026-01-01T00:00:00Z');

/** Raw observations, as a storefront, an app login, the CRM or a till would send them. */
function observationSource(seed: number) {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // The same address as people type it: case and stray spaces vary, the identifier does not.
  const email = (p: number): string => {
    const variant = random();
    if (variant < 0.5) return `customer${p}@example.com`;
    if (variant < 0.7) return `Customer${p}@Example.com`;
    if (variant < 0.85) return `CUSTOMER${p}@EXAMPLE.COM`;
    return ` customer${p}@example.com `;
  };
  // One mobile number per person, written five ways (default region CN).
  const phone = (p: number): string => {
    const digits = String(p).padStart(8, '0');
    const [a, b] = [digits.slice(0, 4), digits.slice(4)];
    const variant = random();
    if (variant < 0.3) return `+86138${digits}`;
    if (variant < 0.55) return `138 ${a} ${b}`;
    if (variant < 0.75) return `138${digits}`;
    if (variant < 0.9) return `+86 138-${a}-${b}`;
    return `(+86) 138 ${a} ${b}`;
  };
  return (p: number, sequence: number): unknown => {
    const observedAt = start + sequence * 1000 + Math.floor(random() * 1000);
    const kind = random();
    // Most people browse on the device they log in with; a few visits come from a second
    // device that is linked only when they log in there too.
    const device = `anon-${p}-${random() < 0.9 ? 0 : 1}`;
    if (kind < 0.45) {
      return { source: 'web', observedAt, profile: { identities: { anonymousIds: [device] }, language: pick(languages) } };
    }
    if (kind < 0.65) {
      // A login in the app: the device becomes known. Half confirm the account's email.
      return {
        source: 'app',
        observedAt,
        profile:
          random() < 0.5
            ? { identities: { anonymousIds: [device], userId: `user-${p}` }, traits: { plan: pick(plans) } }
            : { kind: 'person', identities: { anonymousIds: [device], userId: `user-${p}` }, emails: [{ address: email(p), verified: true }] },
      };
    }
    if (kind < 0.9) {
      // A CRM record: name, email, stage, tags, external id; CRM exports carry ISO times.
      return {
        source: 'crm',
        observedAt: new Date(observedAt).toISOString(),
        profile: {
          kind: 'person',
          fullName: `Customer ${p}`,
          emails: [{ address: email(p) }],
          lifecycleStage: pick(stages),
          tags: [pick(tags)],
          identities: { externalIds: { hubspot: `hs-${p}` } },
        },
      };
    }
    // A till: phone number, email and a purchase-derived trait.
    return {
      source: pick(sources),
      observedAt,
      profile: { phones: [{ number: phone(p) }], emails: [{ address: email(p) }], traits: { lastStore: `store-${p % 50}` } },
    };
  };
}

/** Observations in chunks of 10,000 (generation is not timed). */
function* chunks(seed: number, total: number): Generator<unknown[]> {
  const who = generator(seed + 1);
  const observe = observationSource(seed);
  for (let done = 0; done < total; done += chunk) {
    const batch: unknown[] = [];
    for (let i = 0; i < chunk && done + i < total; i++) batch.push(observe(Math.floor(who() * people), done + i));
    yield batch;
  }
}

/**
 * The machine's ceiling for this workload: the same raw observations through the least
 * work any ingestion must do — trim and lower-case emails, parse phones with
 * libphonenumber's fastest entry (separators stripped), parse ISO times, look every
 * identifier up in one `Map` per kind, union profiles, and keep the latest value of each
 * field with its time. No validation, no provenance source, no change records, no
 * conflict checks, no profile ids, no outcomes. `ingest()` does all of that too, so its
 * throughput is best read as a fraction of this figure (it depends mostly on memory
 * latency: the maps and profiles are hundreds of megabytes, far beyond the caches).
 */
function calibrate(): { seconds: number; profiles: number } {
  interface Bare {
    readonly fields: unknown[];
    readonly times: number[];
  }
  const indexes = Array.from({ length: 6 }, () => new Map<string, number>());
  let parent = new Int32Array(1024);
  const profiles: Bare[] = [];
  const find = (index: number): number => {
    let at = index;
    while (parent[at] !== at) at = parent[at] = parent[parent[at] as number] as number;
    return at;
  };
  const identifiers: (number | string)[] = [];
  const known: number[] = [];
  const keep = (profile: Bare, path: unknown, value: unknown, observedAt: number): void => {
    const { fields, times } = profile;
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] !== path) continue;
      if ((times[i >> 1] as number) <= observedAt) {
        fields[i + 1] = value;
        times[i >> 1] = observedAt;
      }
      return;
    }
    fields.push(path, value);
    times.push(observedAt);
  };
  type Raw = { observedAt: number | string; profile: Record<string, unknown> & { identities?: { userId?: string; anonymousIds?: string[]; externalIds?: Record<string, string> } } };
  const ingestBare = (raw: Raw): void => {
    const observedAt = typeof raw.observedAt === 'number' ? raw.observedAt : Date.parse(raw.observedAt);
    const party = raw.profile;
    const identities = party.identities;
    identifiers.length = 0;
    if (identities?.userId !== undefined) identifiers.push(0, identities.userId);
    const external = identities?.externalIds;
    if (external !== undefined) for (const system of Object.keys(external)) identifiers.push(1, `${system}:${external[system]}`);
    const emails = (party.emails as { address: string }[] | undefined)?.map((email) => email.address.trim().toLowerCase());
    for (const email of emails ?? []) identifiers.push(3, email);
    const phones = (party.phones as { number: string }[] | undefined)?.map(
      (phone) => parsePhoneNumber(phone.number.replace(/[\s\-()]/g, ''), { defaultCountry: 'CN', extract: false }, minMetadata).number as string,
    );
    for (const phone of phones ?? []) identifiers.push(4, phone);
    for (const id of identities?.anonymousIds ?? []) identifiers.push(5, id);
    let root = -1;
    for (let i = 0; i < identifiers.length; i += 2) {
      const at = (indexes[identifiers[i] as number] as Map<string, number>).get(identifiers[i + 1] as string);
      known[i] = at ?? -1;
      if (at === undefined) continue;
      const found = find(at);
      if (root === -1) root = found;
      else if (found !== root) parent[found] = root;
    }
    if (root === -1) {
      root = profiles.length;
      if (root >= parent.length) {
        const grown = new Int32Array(parent.length * 2);
        grown.set(parent);
        parent = grown;
      }
      parent[root] = root;
      profiles.push({ fields: [], times: [] });
    }
    for (let i = 0; i < identifiers.length; i += 2) if (known[i] === -1) (indexes[identifiers[i] as number] as Map<string, number>).set(identifiers[i + 1] as string, root);
    const profile = profiles[root] as Bare;
    for (const key of Object.keys(party)) {
      const value = party[key];
      if (key === 'identities' || key === 'kind') continue;
      if (key === 'traits') for (const trait of Object.keys(value as object)) keep(profile, trait, (value as Record<string, unknown>)[trait], observedAt);
      else if (key === 'emails') for (const email of emails ?? []) keep(profile, email, true, observedAt);
      else if (key === 'phones') for (const phone of phones ?? []) keep(profile, phone, true, observedAt);
      else if (Array.isArray(value)) for (const item of value) keep(profile, item, true, observedAt);
      else keep(profile, key, value, observedAt);
    }
  };
  let seconds = 0;
  for (const batch of chunks(42, observations)) {
    const t0 = performance.now();
    for (const raw of batch) ingestBare(raw as Raw);
    seconds += (performance.now() - t0) / 1000;
  }
  return { seconds, profiles: profiles.length };
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');

/** Wall-clock and CPU time of a step (user + system of this process, GC threads included). */
class Stopwatch {
  wall = 0;
  cpu = 0;
  time<T>(step: () => T): T {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = step();
    this.wall += (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    this.cpu += (cpu.user + cpu.system) / 1e6;
    return result;
  }
  async timeAsync(step: () => Promise<void>): Promise<void> {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await step();
    this.wall += (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    this.cpu += (cpu.user + cpu.system) / 1e6;
  }
  report(count: number): string {
    return `${rate(count, this.wall)} observations/s wall clock (${this.wall.toFixed(2)} s), ${rate(count, this.cpu)} per CPU-second (${this.cpu.toFixed(2)} s CPU)`;
  }
}

const loadAverage = () => os.loadavg().map((load) => load.toFixed(2)).join(', ');

async function main(): Promise<void> {
  if ((globalThis as { gc?: () => void }).gc === undefined) console.log('(run with --expose-gc for exact heap figures)');
  const model = createProfileModel({ defaultRegion: 'CN' });
  console.log(`identity resolution + merge: ${observations.toLocaleString('en')} raw observations over ${people.toLocaleString('en')} people, one thread`);
  console.log(`  load average before: ${loadAverage()} on ${os.cpus().length} cores`);

  let gcSeconds = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcSeconds += entry.duration / 1000;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const before = heapUsed();
  let graph: IdentityGraph<ProfileModel> | undefined = createIdentityGraph({ model });
  const ingest = new Stopwatch();
  let peakHeap = 0;
  let conflicts = 0;
  let changes = 0;
  for (const batch of chunks(42, observations)) {
    const target = graph;
    await ingest.timeAsync(async () => {
      for (const input of batch) {
        const outcome = await target.ingest(input);
        if (outcome.status === 'applied') {
          conflicts += outcome.conflicts.length;
          changes += outcome.changes.length;
        }
      }
    });
    const heap = process.memoryUsage().heapUsed;
    if (heap > peakHeap) peakHeap = heap;
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries are delivered asynchronously
  const gcDuringIngest = gcSeconds;
  const after = heapUsed();
  gcObserver.disconnect();
  const profiles = graph.size;
  console.log(`  profiles: ${profiles.toLocaleString('en')}, change records: ${changes.toLocaleString('en')}, conflicts: ${conflicts}`);
  console.log(`  ingest() (parse + resolve + merge): ${ingest.report(observations)} — target ≥ 200,000`);
  console.log(`  garbage collection during ingestion: ${gcDuringIngest.toFixed(2)} s`);
  console.log(`  heap retained: ${mib(after - before)} MiB = ${Math.round((after - before) / profiles).toLocaleString('en')} B per profile — target ≤ 2,048`);
  console.log(`  peak heap used: ${mib(peakHeap)} MiB (before: ${mib(before)} MiB), rss: ${mib(process.memoryUsage().rss)} MiB`);
  graph = undefined;
  heapUsed();
  const ceiling = calibrate();
  console.log(`  calibration — the least work any ingestion must do (see calibrate()): ${rate(observations, ceiling.seconds)} observations/s (${ceiling.seconds.toFixed(2)} s); ingest() runs at ${Math.round((100 * ceiling.seconds) / ingest.wall)}% of it`);
  heapUsed();
  if (process.env.PROFILE_BENCH_ONLY_INGEST === '1') return;

  // The same observations, parsing and merging timed apart.
  const parse = new Stopwatch();
  const apply = new Stopwatch();
  const split = createIdentityGraph({ model });
  for (const batch of chunks(42, observations)) {
    const parsed = parse.time(() => batch.map((input) => model.parseObservation(input)));
    await apply.timeAsync(async () => {
      for (const observation of parsed) await split.ingestParsed(observation);
    });
  }
  console.log(`  of which parsing (model.parseObservation, fast path): ${parse.report(observations)}`);
  console.log(`  of which resolution + merge (ingestParsed): ${apply.report(observations)}`);

  // The full zod schema on a sample: what every observation cost before the fast path.
  const sample = Math.min(100_000, observations);
  const full = new Stopwatch();
  const validating = createIdentityGraph({ model });
  for (const batch of chunks(7, sample)) {
    await full.timeAsync(async () => {
      for (const input of batch) await validating.ingestParsed(validate(model.Observation, input, 'observation') as ObservationOf<ProfileModel>);
    });
  }
  console.log(`  full schema path (validate(model.Observation) + ingestParsed), ${sample.toLocaleString('en')} observations: ${full.report(sample)}`);
  console.log(`  load average after: ${loadAverage()}`);
}

await main();
