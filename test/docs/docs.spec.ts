import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The documentation stays true to the code:
 * - every ```ts block of README.md and docs/*.md compiles, strictly, against the library's
 *   sources, each block as a module of its own. A block may import `./app.module.js`
 *   (`AppModule`), which stands for the reader's own root module. A block that is deliberately
 *   not a whole module is fenced ```ts fragment and only has to parse;
 * - docs/api-reference.md lists every export of the public barrel, and nothing else;
 * - relative links between the pages point at files that exist.
 */
const root = resolve(__dirname, '../..');
const pages = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name)),
];

interface Sample {
  page: string;
  line: number;
  code: string;
  fragment: boolean;
}

/** The fenced TypeScript blocks of a page, with the line each starts on. */
function samplesOf(page: string, text: string): Sample[] {
  const samples: Sample[] = [];
  const fence = /^```(ts|typescript)( fragment)?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let match = fence.exec(text); match !== null; match = fence.exec(text)) {
    samples.push({
      page,
      line: text.slice(0, match.index).split('\n').length + 1,
      code: match[3]!,
      fragment: match[2] !== undefined,
    });
  }
  return samples;
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  strict: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  baseUrl: root,
  paths: {
    'nestjs-m2m': [join(root, 'libs/m2m/src/index.ts')],
    'nestjs-m2m-client': [join(root, 'libs/m2m-client/src/index.ts')],
    'nestjs-m2m-client/nest': [join(root, 'libs/m2m-client/src/nest/index.ts')],
  },
  typeRoots: [join(root, 'node_modules/@types')],
};

/**
 * The compiler host of every program below. It parses each file once for the whole suite: the
 * library's sources and the declarations of its dependencies are the same in every program, and
 * parsing them is a large part of what a program costs. The samples are new files each time.
 */
const host = ts.createCompilerHost(options);
const parsed = new Map<string, ts.SourceFile | undefined>();
const parse = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, languageVersionOrOptions, ...rest) => {
  const format =
    typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.impliedNodeFormat : '';
  const key = `${fileName}\0${format}`;
  if (!parsed.has(key)) parsed.set(key, parse(fileName, languageVersionOrOptions, ...rest));
  return parsed.get(key);
};

/** Type-checks samples; returns one line per diagnostic, pointing at the page and line. */
function compile(samples: Sample[]): string[] {
  const dir = mkdtempSync(join(root, 'test/docs/.samples-'));
  try {
    // The samples live beside a package.json of type module, as in an ESM host app.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'app.module.ts'),
      "import { Module } from '@nestjs/common';\n@Module({})\nexport class AppModule {}\n",
    );
    const files = new Map<string, Sample>();
    samples.forEach((sample, index) => {
      const file = join(dir, `sample-${index}.ts`);
      // `export {}` makes a block without imports a module too.
      writeFileSync(file, `${sample.code}\nexport {};\n`);
      files.set(file, sample);
    });
    const program = ts.createProgram([...files.keys()], options, host);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(),
      ...program.getSemanticDiagnostics().filter((diagnostic) => {
        const sample = diagnostic.file && files.get(resolve(diagnostic.file.fileName));
        return sample === undefined || !sample.fragment;
      }),
    ];
    return diagnostics.map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const sample = diagnostic.file && files.get(resolve(diagnostic.file.fileName));
      if (diagnostic.file === undefined || sample === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${relative(root, sample.page)}:${sample.line + line}: ${message}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The names the public barrel exports (values and types). */
function barrelExports(): string[] {
  const index = join(root, 'libs/m2m/src/index.ts');
  const program = ts.createProgram([index], options, host);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.getName())
    .sort();
}

describe('documentation', () => {
  const all = pages.flatMap((page) => samplesOf(page, readFileSync(page, 'utf8')));

  it('has TypeScript samples on the pages that show code', () => {
    const withSamples = new Set(all.map((sample) => basename(sample.page)));
    for (const page of ['README.md', 'host-app.md', 'resource-servers.md', 'api-reference.md']) {
      if (existsSync(join(root, 'docs', page)) || page === 'README.md') {
        expect([page, withSamples.has(page)]).toEqual([page, true]);
      }
    }
  });

  it('every TypeScript sample compiles against the library', () => {
    expect(compile(all)).toEqual([]);
  }, 120_000);

  it('the check can fail: a sample with a type error is reported at its page and line', () => {
    const page = join(root, 'docs', 'example.md');
    const text = [
      '# Example',
      '',
      '```ts',
      "import { M2mModule } from 'nestjs-m2m';",
      'M2mModule.forRoot({ issuer: 42 });',
      '```',
    ].join('\n');
    const errors = compile(samplesOf(page, text));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/example\.md:5: /);
  }, 120_000);

  it('docs/api-reference.md lists every export of nestjs-m2m, and only those', () => {
    const page = readFileSync(join(root, 'docs/api-reference.md'), 'utf8');
    // Rows of the reference tables start with the export's name in backquotes.
    const listed = [...page.matchAll(/^\|\s*`([A-Za-z_$][\w$]*)`/gm)].map((m) => m[1]!).sort();
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toEqual(barrelExports());
  }, 120_000);

  it('relative links between the pages point at files that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      for (const [, target] of text.matchAll(/\]\(((?!https?:|mailto:|#)[^)\s]+)\)/g)) {
        const path = target!.split('#', 1)[0]!;
        if (path !== '' && !existsSync(resolve(dirname(page), path))) {
          broken.push(`${relative(root, page)} → ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README stays short: at most 150 lines', () => {
    expect(
      readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length,
    ).toBeLessThanOrEqual(150);
  });
});
