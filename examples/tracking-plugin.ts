/**
 * An example tracker plugin: routes complaint touchpoints to a helpdesk as they are
 * recorded, and tags every event with the app's release.
 *
 * Run it: `npx tsx examples/tracking-plugin.ts` — it starts a collector and a helpdesk
 * on 127.0.0.1, records a few touchpoints, and prints what each received.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createTracker, TouchpointRecord, isTouchpointMessage, type TrackingMessage, type TrackingPlugin } from 'guanxi/tracking';

/**
 * A `destination` plugin: every complaint touchpoint is POSTed to a helpdesk webhook as a
 * ticket. A failure of the helpdesk is reported to the tracker's `onError` and affects
 * neither other destinations nor delivery to the collector.
 */
export function complaintsToHelpdesk(options: { webhook: string; fetch?: typeof fetch }): TrackingPlugin & { idle(): Promise<void> } {
  const send = options.fetch ?? fetch;
  // Destinations are fire-and-forget for the tracker (`flush()` covers the collector);
  // `idle()` lets a caller that is about to exit wait for tickets still being created.
  const underway = new Set<Promise<void>>();
  return {
    name: 'complaints-to-helpdesk',
    stage: 'destination',
    deliver(message) {
      const ticket = createTicket(message).finally(() => underway.delete(ticket));
      underway.add(ticket);
      return ticket;
    },
    async idle() {
      await Promise.allSettled([...underway]);
    },
  };

  async function createTicket(message: TrackingMessage): Promise<void> {
    if (!isTouchpointMessage(message)) return;
    const touchpoint = TouchpointRecord.parse(message.properties);
    if (touchpoint.type !== 'complaint') return;
    const response = await send(options.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customer: message.userId ?? message.anonymousId,
        channel: touchpoint.channel,
        subject: touchpoint.subject ?? '(no subject)',
        owner: touchpoint.ownerId,
        openedAt: touchpoint.occurredAt,
        // The message id makes ticket creation idempotent on the helpdesk's side.
        idempotencyKey: message.messageId,
      }),
    });
    if (!response.ok) throw new Error(`helpdesk answered ${response.status}`);
  }
}

/** An `enrichment` plugin: stamps the release that produced each event. */
export function releaseTag(release: string): TrackingPlugin {
  return {
    name: 'release-tag',
    stage: 'enrichment',
    run(message) {
      message.context.release = release;
    },
  };
}

interface Received {
  readonly collector: unknown[];
  readonly helpdesk: unknown[];
}

async function listen(onBody: (body: unknown) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      onBody(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs the demonstration; returns what the collector and the helpdesk received. */
export async function runExample(log: (line: string) => void = console.log): Promise<Received> {
  const received: Received = { collector: [], helpdesk: [] };
  const collector = await listen((body) => received.collector.push(...(body as { batch: unknown[] }).batch));
  const helpdesk = await listen((body) => received.helpdesk.push(body));
  try {
    const tickets = complaintsToHelpdesk({ webhook: `${helpdesk.url}/tickets` });
    const tracker = createTracker({
      endpoint: `${collector.url}/v1/batch`,
      plugins: [releaseTag('2026.03.1'), tickets],
      onError: (error) => log(`error: ${error.message}`),
    });
    tracker.touchpoint({ channel: 'store', type: 'visit' }, { userId: 'u-42' });
    tracker.touchpoint(
      { channel: 'call-centre', type: 'complaint', subject: 'Parcel arrived damaged', ownerId: 'agent-17', status: 'open' },
      { userId: 'u-42' },
    );
    tracker.touchpoint({ channel: 'email', type: 'suggestion', subject: 'Offer gift wrapping' }, { userId: 'u-7' });
    const { empty } = await tracker.close({ timeout: 5000 });
    await tickets.idle();
    log(`collector received ${received.collector.length} events (queue empty: ${empty})`);
    log(`helpdesk received ${received.helpdesk.length} ticket(s): ${JSON.stringify(received.helpdesk)}`);
    return received;
  } finally {
    collector.server.close();
    helpdesk.server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runExample();
}
