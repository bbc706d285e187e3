/**
 * Identity resolution + merge: 1,000,000 observations over 200,000 people through
 * `createIdentityGraph().ingestParsed()` (observations already parsed, as a collector
 * that validates at the edge would pass them). Prints throughput and heap per profile.
 * Targets (issue 2): ≥ 200,000 observations/s on one core, ≤ 2 KB heap per profile.
 *
 * Also prints the throughput of `ingest()` with validation and normalization, for
 * comparison. Run with `npm run bench profile` (bench/index.ts passes --expose-gc).
 */
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { createIdentityGraph, type ObservationOf, type ProfileModel } from 'guanxi/profile';

const people = Number(process.env.PROFILE_BENCH_PEOPLE ?? 200_000);
const observations = Number(process.env.PROFILE_BENCH_OBSERVATIONS ?? 1_000_000);
const chunk = 10_000;

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

const random = generator(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const sources = ['web', 'app', 'crm', 'pos'] as const;
const stages = ['pool', 'lead', 'prospect', 'customer', 'loyal'] as const;
const languages = ['zh', 'en', 'de', 'ja'] as const;
const plans = ['free', 'basic', 'pro'] as const;
const tags = ['vip', 'b2b', 'newsletter', 'wholesale'] as const;
const start = Date.parse('2026-01-01T00:00:00Z');

type Parsed = ObservationOf<ProfileModel>;

/** One observation of person `p`: what a storefront, an app login, the CRM or a till would send. */
function observe(p: number, sequence: number): Parsed {
  const observedAt = start + sequence * 1000 + Math.floor(random() * 1000);
  const kind = random();
  // Most people browse on the device they log in with; a few visits come from a second
  // device that is linked only when they log in there too.
  const device = `anon-${p}-${random() < 0.9 ? 0 : 1}`;
  if (kind < 0.45) {
    // A page view or event from a device.
    return { source: 'web', observedAt, profile: { kind: 'person', identities: { anonymousIds: [device] }, language: pick(languages) } };
  }
  if (kind < 0.65) {
    // A login in the app: the device becomes known.
    // Half of the logins also confirm the account's email, which links the CRM record.
    return {
      source: 'app',
      observedAt,
      profile:
        random() < 0.5
          ? { kind: 'person', identities: { anonymousIds: [device], userId: `user-${p}` }, traits: { plan: pick(plans) } }
          : { kind: 'person', identities: { anonymousIds: [device], userId: `user-${p}` }, emails: [{ address: `customer${p}@example.com`, verified: true }] },
    };
  }
  if (kind < 0.9) {
    // A CRM record: name, email, stage, tags, external id.
    return {
      source: 'crm',
      observedAt,
      profile: {
        kind: 'person',
        fullName: `Customer ${p}`,
        emails: [{ address: `customer${p}@example.com` }],
        lifecycleStage: pick(stages),
        tags: [pick(tags)],
        identities: { externalIds: { hubspot: [`hs-${p}`] } },
      },
    };
  }
  // A till: phone number and a purchase-derived trait.
  return {
    source: pick(sources),
    observedAt,
    profile: {
      kind: 'person',
      phones: [{ number: `+86138${String(p).padStart(8, '0')}` }],
      emails: [{ address: `customer${p}@example.com` }],
      traits: { lastStore: `store-${p % 50}` },
    },
  };
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  if ((globalThis as { gc?: () => void }).gc === undefined) console.log('(run with --expose-gc for exact heap figures)');
  let gcMillis = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMillis += entry.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const before = heapUsed();
  const graph = createIdentityGraph();
  let elapsed = 0;
  let cpuMicros = 0;
  let peakHeap = 0;
  let conflicts = 0;
  let changes = 0;
  for (let done = 0; done < observations; done += chunk) {
    const batch: Parsed[] = [];
    for (let i = 0; i < chunk && done + i < observations; i++) batch.push(observe(Math.floor(random() * people), done + i));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (const observation of batch) {
      const outcome = await graph.ingestParsed(observation);
      if (outcome.status === 'applied') {
        conflicts += outcome.conflicts.length;
        changes += outcome.changes.length;
      }
    }
    elapsed += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
    const heap = process.memoryUsage().heapUsed;
    if (heap > peakHeap) peakHeap = heap;
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries are delivered asynchronously
  const gcDuringIngest = gcMillis;
  const after = heapUsed();
  gcObserver.disconnect();
  const perProfile = (after - before) / graph.size;
  console.log(`identity resolution + merge: ${observations.toLocaleString('en')} observations over ${people.toLocaleString('en')} people`);
  console.log(`  profiles: ${graph.size.toLocaleString('en')}, change records: ${changes.toLocaleString('en')}, conflicts: ${conflicts}`);
  console.log(`  throughput: ${Math.round(observations / (elapsed / 1000)).toLocaleString('en')} observations/s wall clock (${(elapsed / 1000).toFixed(2)} s in ingestParsed) — target ≥ 200,000`);
  // On a shared machine the wall clock counts time other processes had the core; CPU time
  // (user + system of this process, GC threads included) is the one-core figure.
  console.log(`  throughput: ${Math.round(observations / (cpuMicros / 1e6)).toLocaleString('en')} observations per CPU-second (${(cpuMicros / 1e6).toFixed(2)} s CPU), load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`  garbage collection during ingestion: ${(gcDuringIngest / 1000).toFixed(2)} s`);
  console.log(`  heap retained: ${mib(after - before)} MiB = ${Math.round(perProfile).toLocaleString('en')} B per profile — target ≤ 2,048`);
  console.log(`  peak heap used: ${mib(peakHeap)} MiB (before: ${mib(before)} MiB), rss: ${mib(process.memoryUsage().rss)} MiB`);

  // With validation and normalization (model.parseObservation inside ingest()).
  const sample = 50_000;
  const raw = Array.from({ length: sample }, (_, i) => {
    const p = Math.floor(random() * people);
    const parsed = observe(p, observations + i);
    return { ...parsed, profile: { ...parsed.profile, phones: [{ number: `138 ${String(p).padStart(8, '0').replace(/(\d{4})(\d{4})/, '$1 $2')}` }] } };
  });
  const validating = createIdentityGraph({ model: (await import('guanxi/profile')).createProfileModel({ defaultRegion: 'CN' }) });
  const t0 = performance.now();
  for (const input of raw) await validating.ingest(input);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  with validation + phone normalization (ingest): ${Math.round(sample / seconds).toLocaleString('en')} observations/s on ${sample.toLocaleString('en')} observations`);
}

await main();
