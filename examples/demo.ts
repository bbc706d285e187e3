/**
 * `npm run demo`: starts the CRM server, the storefront and the dashboard on this
 * machine, prints their URLs, and runs until interrupted. `npm run demo -- --help`
 * lists the options.
 */
import { demoHelp, parseDemoArguments } from './demo/options';
import { startDemo } from './demo/start-demo';

async function main(): Promise<void> {
  let command;
  try {
    command = parseDemoArguments(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${demoHelp}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    console.log(demoHelp);
    return;
  }
  const started = Date.now();
  const demo = await startDemo({ ...command.options, log: command.quiet ? undefined : (message) => console.log(`  ${message}`) });
  console.log(`
guanxi demo is running (${demo.customers.length} customers with ${demo.historySource} purchase histories, ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Storefront   ${demo.storefrontUrl}
  Dashboard    ${demo.dashboardUrl}
  CRM server   ${demo.crmUrl}

Press Ctrl+C to stop.`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nstopping…');
    void demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
