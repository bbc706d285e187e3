/**
 * Reading the command line's input files: lines with their numbers (CRLF or LF, with or
 * without a final newline), progress on stderr for long inputs, and the layout of
 * delimited or whitespace-separated tables.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A row the command cannot use: where it is and why. */
export class InputRowError extends Error {
  override name = 'InputRowError' as const;
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** A problem with the command line or the file as a whole (exit code 2 or 1). */
export class CommandError extends Error {
  override name = 'CommandError' as const;
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** When to print progress: `auto` after two seconds of reading, `always`, or `never`. */
export type ProgressMode = 'auto' | 'always' | 'never';

export interface InputLine {
  readonly text: string;
  readonly number: number;
}

/** Reads a file line by line, reporting progress to `report` (stderr in the CLI). */
export async function* readLines(file: string, progress: ProgressMode, report: (message: string) => void): AsyncGenerator<InputLine> {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new CommandError(`${file}: not a file`, 1);
    size = stats.size;
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 1);
  }
  const stream = createReadStream(file, { encoding: 'utf8' });
  // crlfDelay: Infinity reads "\r\n" as one line break wherever the chunks split.
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const started = Date.now();
  let lastReport = started;
  let number = 0;
  let reported = false;
  try {
    for await (const raw of lines) {
      number++;
      // A BOM on the first line and a stray "\r" (CR-only files are not supported) are dropped.
      const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      yield { text: text.endsWith('\r') ? text.slice(0, -1) : text, number };
      if (progress !== 'never' && number % 10_000 === 0) {
        const now = Date.now();
        if (progress === 'always' || (now - started > 2_000 && now - lastReport > 1_000)) {
          const share = size > 0 ? ` (${Math.min(100, Math.round((100 * stream.bytesRead) / size))}%)` : '';
          report(`guanxi: read ${number.toLocaleString('en-US')} lines of ${file}${share}`);
          lastReport = now;
          reported = true;
        }
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (reported) report(`guanxi: read ${number.toLocaleString('en-US')} lines of ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export type Delimiter = ',' | ';' | '\t' | 'whitespace';

/** The delimiter of a table, guessed from its first non-empty line. */
export function detectDelimiter(line: string): Delimiter {
  if (line.includes('\t')) return '\t';
  if (line.includes(',')) return ',';
  if (line.includes(';')) return ';';
  return 'whitespace';
}

/** Splits one line into trimmed fields; delimited lines may quote fields with `"`. */
export function splitFields(line: string, delimiter: Delimiter, lineNumber: number): string[] {
  if (delimiter === 'whitespace') {
    const trimmed = line.trim();
    return trimmed === '' ? [] : trimmed.split(/\s+/);
  }
  if (!line.includes('"')) return line.split(delimiter).map((field) => field.trim());
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  if (quoted) throw new InputRowError(lineNumber, 'unterminated quoted field');
  fields.push(field.trim());
  return fields;
}

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a field is a plain decimal number. */
export function isNumber(field: string): boolean {
  return numeric.test(field);
}

/** A header is a first row with a field that is neither a number nor a date. */
export function looksLikeHeader(fields: readonly string[]): boolean {
  return fields.some((field) => field !== '' && !isNumber(field) && !/^\d{4}-?\d{2}-?\d{2}/.test(field));
}

/**
 * Finds a column by a flag value (a header name, case-insensitive, or a 1-based number)
 * or, without a flag, by the first header matching `pattern`.
 */
export function findColumn(header: readonly string[] | undefined, width: number, flag: string | undefined, pattern: RegExp | undefined, name: string): number | undefined {
  if (flag !== undefined) {
    if (/^\d+$/.test(flag)) {
      const index = Number(flag) - 1;
      if (index < 0 || index >= width) throw new CommandError(`--${name}-column ${flag}: the file has ${width} columns`);
      return index;
    }
    const index = header?.findIndex((field) => field.toLowerCase() === flag.toLowerCase()) ?? -1;
    if (index < 0) throw new CommandError(`--${name}-column ${flag}: no such column${header ? ` (columns: ${header.join(', ')})` : ' (the file has no header; give a column number)'}`);
    return index;
  }
  if (header === undefined || pattern === undefined) return undefined;
  const index = header.findIndex((field) => pattern.test(field));
  return index < 0 ? undefined : index;
}
