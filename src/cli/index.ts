#!/usr/bin/env node
/**
 * The `guanxi` command line (Node only).
 * @packageDocumentation
 */
import process from 'node:process';

const usage = `Usage: guanxi <command> [options]

Commands:
  help    Show this help
`;

function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(`guanxi: unknown command '${command}'\n${usage}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
