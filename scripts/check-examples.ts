/**
 * Checks the TSDoc of the public API: every export of every entry point has a summary
 * and at least one `@example`, and every example type-checks against the sources.
 *
 * Run: `npm run check:examples` (part of `npm test`). Examples are written to
 * `.examples-check/` (git-ignored), one module per example, and compiled with the
 * project's compiler options, `guanxi` and `guanxi/*` resolving to `src/`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { entryPoints } from './entries';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, '.examples-check');

function loadCompilerOptions(): ts.CompilerOptions {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false };
}

interface Example {
  readonly owner: string;
  readonly file: string;
  readonly code: string;
}

function exampleBlocks(text: string): string[] {
  const fenced = [...text.matchAll(/```(?:ts|typescript|js|javascript)?\s*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return fenced.length > 0 ? fenced : [text];
}

function tagText(tag: ts.JSDocTagInfo): string {
  return (tag.text ?? []).map((part) => part.text).join('');
}

const options = loadCompilerOptions();
const program = ts.createProgram(
  entryPoints.map((entry) => path.join(root, entry.source)),
  options,
);
const checker = program.getTypeChecker();
const problems: string[] = [];
const examples: Example[] = [];
const seen = new Set<ts.Declaration>();

for (const entry of entryPoints) {
  const sourceFile = program.getSourceFile(path.join(root, entry.source));
  if (!sourceFile) {
    problems.push(`${entry.source}: not found`);
    continue;
  }
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) continue; // an entry that exports nothing yet
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (!declaration || seen.has(declaration)) continue;
    seen.add(declaration);
    const where = `${path.relative(root, declaration.getSourceFile().fileName)}: ${exported.name}`;
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    if (summary === '') problems.push(`${where}: no TSDoc summary`);
    const tags = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example');
    if (tags.length === 0) {
      problems.push(`${where}: no @example`);
      continue;
    }
    tags.forEach((tag, tagIndex) => {
      exampleBlocks(tagText(tag)).forEach((code, blockIndex) => {
        const file = path.join(outDir, `${exported.name}.${tagIndex}.${blockIndex}.ts`);
        examples.push({ owner: where, file, code });
      });
    });
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const example of examples) writeFileSync(example.file, `${example.code}\nexport {};\n`);

const exampleProgram = ts.createProgram(
  examples.map((example) => example.file),
  options,
);
const ownerByFile = new Map(examples.map((example) => [path.resolve(example.file), example.owner]));
for (const diagnostic of ts.getPreEmitDiagnostics(exampleProgram)) {
  const file = diagnostic.file ? path.resolve(diagnostic.file.fileName) : undefined;
  const owner = file ? ownerByFile.get(file) : undefined;
  if (!owner) continue; // only report problems inside the examples themselves
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const line = diagnostic.file && diagnostic.start !== undefined
    ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
    : 0;
  problems.push(`${owner}: @example line ${line}: ${message}`);
}

if (problems.length > 0) {
  console.error(`${problems.length} documentation problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`check-examples: ${seen.size} public exports documented, ${examples.length} examples type-check`);
}
