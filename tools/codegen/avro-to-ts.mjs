#!/usr/bin/env node
// Generates TypeScript types from the contracts' Avro schemas (libs/contracts/src/messages/*/*.avsc).
// `--check` writes nothing and exits 1 when a generated file is missing or stale (used by a test).
//
// Why our own generator: the npm generators we looked at (@ovotech/avro-ts, avro-typescript) pin
// TypeScript 4 or are unmaintained, and none emits avsc's wrapped-union representation, which is
// what the serde actually returns for a union of two records. This one is a straight walk of the
// schema JSON, validated first by avsc itself.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const messagesDir = join(root, 'libs/contracts/src/messages');
const check = process.argv.includes('--check');

const PRIMITIVES = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function pascal(folder) {
  return folder.replace(/(^|-)([a-z])/g, (_m, _d, c) => c.toUpperCase());
}

// A named type that several messages share (Channel, TextSpan, ...) is declared once, in the first
// folder that defines it, and imported by the others; the same name with another shape is an error.
const declaredIn = new Map(); // ts name -> { folder, part, text }

/** Emits declarations for one schema file; named types become top-level declarations. */
function generate(schema, fileLabel, folder, part) {
  const decls = [];
  const imports = new Map(); // module -> Set of names
  const declare = (name, text) => {
    const prior = declaredIn.get(name);
    if (!prior) {
      declaredIn.set(name, { folder, part, text });
      decls.push(text);
    } else if (prior.text !== text) {
      throw new Error(
        `${fileLabel}: type ${name} differs from the one in ${prior.folder}/${prior.part}.avsc; rename one`,
      );
    } else if (prior.folder === folder && prior.part === part) {
      decls.push(text);
    } else {
      const from =
        prior.folder === folder ? `./${prior.part}.generated` : `../${prior.folder}/${prior.part}.generated`;
      if (!imports.has(from)) imports.set(from, new Set());
      imports.get(from).add(name);
    }
  };
  const named = new Map(); // full name and short name -> ts name

  const register = (def, enclosingNs) => {
    const ns = def.namespace ?? enclosingNs;
    const full = def.name.includes('.') ? def.name : ns ? `${ns}.${def.name}` : def.name;
    const short = full.split('.').pop();
    named.set(full, short);
    named.set(short, short);
    return { full, short, ns: full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : undefined };
  };

  const doc = (text, indent = '') =>
    text ? `${indent}/** ${String(text).replace(/\*\//g, '*\\/')} */\n` : '';

  const fullName = (t, ns) => {
    if (typeof t === 'string') return PRIMITIVES[t] ? t : t.includes('.') ? t : ns ? `${ns}.${t}` : t;
    return t.name
      ? t.name.includes('.')
        ? t.name
        : (t.namespace ?? ns)
          ? `${t.namespace ?? ns}.${t.name}`
          : t.name
      : t.type;
  };

  const tsOf = (t, ns) => {
    if (typeof t === 'string') {
      if (PRIMITIVES[t]) return PRIMITIVES[t];
      const ref = named.get(t) ?? named.get(ns ? `${ns}.${t}` : t);
      if (!ref) throw new Error(`${fileLabel}: unknown type reference ${t}`);
      return ref;
    }
    if (Array.isArray(t)) {
      const branches = t.filter((b) => b !== 'null');
      const nullable = branches.length !== t.length;
      // avsc (wrapUnions: 'auto') unwraps a union only when its branches are distinguishable by
      // JavaScript type; two or more records stay wrapped as { 'full.Name': value }.
      const records = branches.filter(
        (b) =>
          (typeof b === 'object' && !Array.isArray(b) && b.type === 'record') ||
          (typeof b === 'string' && !PRIMITIVES[b]),
      );
      const wrapped = records.length > 1;
      const parts = branches.map((b) => {
        const ts = tsOf(b, ns);
        return wrapped ? `{ '${fullName(b, ns)}': ${ts} }` : ts;
      });
      if (nullable) parts.push('null');
      return parts.join(' | ');
    }
    switch (t.type) {
      case 'record': {
        const { short, ns: recNs } = register(t, ns);
        const fields = t.fields
          .map((f) => `${doc(f.doc, '  ')}  ${f.name}: ${tsOf(f.type, recNs)};`)
          .join('\n');
        declare(short, `${doc(t.doc)}export interface ${short} {\n${fields}\n}`);
        return short;
      }
      case 'enum': {
        const { short } = register(t, ns);
        const values = t.symbols.map((s) => `'${s}'`);
        declare(
          short,
          `${doc(t.doc)}export type ${short} = ${values.join(' | ')};\nexport const ${short}Values = [${values.join(', ')}] as const;`,
        );
        return short;
      }
      case 'fixed':
        register(t, ns);
        return 'Buffer';
      case 'array':
        return `Array<${tsOf(t.items, ns)}>`;
      case 'map':
        return `Record<string, ${tsOf(t.values, ns)}>`;
      default:
        if (PRIMITIVES[t.type]) return PRIMITIVES[t.type];
        throw new Error(`${fileLabel}: unsupported schema ${JSON.stringify(t)}`);
    }
  };

  const top = tsOf(schema, undefined);
  return { decls, top, imports };
}

let stale = 0;
const emit = (out, body) => {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : null;
  if (current === body) return;
  if (check) {
    console.error(`stale: ${out.slice(root.length + 1)} (run npm run codegen)`);
    stale += 1;
  } else {
    writeFileSync(out, body);
    console.log(`wrote ${out.slice(root.length + 1)}`);
  }
};
const schemaEntries = [];
for (const folder of readdirSync(messagesDir).sort()) {
  for (const part of ['key', 'value']) {
    const avscPath = join(messagesDir, folder, `${part}.avsc`);
    if (!existsSync(avscPath)) continue;
    const schema = JSON.parse(readFileSync(avscPath, 'utf8'));
    schemaEntries.push([folder, part, schema]);
    avro.Type.forSchema(schema); // throws on an invalid schema
    const { decls, top, imports } = generate(schema, `${folder}/${part}.avsc`, folder, part);
    const importLines = [...imports].map(
      ([from, names]) => `import type { ${[...names].sort().join(', ')} } from '${from}';`,
    );
    const alias = `${pascal(folder)}${part === 'key' ? 'Key' : 'Value'}`;
    const body = [
      '// Generated by tools/codegen/avro-to-ts.mjs from ' +
        `${part}.avsc. Do not edit: run \`npm run codegen\`.`,
      '/* eslint-disable */',
      ...importLines,
      '',
      ...decls.flatMap((d) => [d, '']),
      `/** The ${part} of a ${folder} message. */`,
      `export type ${alias} = ${top};`,
      '',
    ].join('\n');
    emit(join(messagesDir, folder, `${part}.generated.ts`), body);
  }
}

// The schemas themselves, as data, so services need no .avsc files at run time (bundles, images).
const byFolder = new Map();
for (const [folder, part, schema] of schemaEntries) {
  byFolder.set(folder, { ...(byFolder.get(folder) ?? {}), [part]: schema });
}
emit(
  join(root, 'libs/contracts/src/schemas.generated.ts'),
  [
    '// Generated by tools/codegen/avro-to-ts.mjs from messages/*/*.avsc. Do not edit: run `npm run codegen`.',
    '/* eslint-disable */',
    '',
    `export const MESSAGE_SCHEMAS = ${JSON.stringify(Object.fromEntries(byFolder), null, 2)} as const;`,
    '',
    'export type MessageName = keyof typeof MESSAGE_SCHEMAS;',
    '',
  ].join('\n'),
);
process.exit(stale > 0 ? 1 : 0);
