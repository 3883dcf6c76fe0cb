// Command-line parsing: argv → one typed command, or a UsageError (exit 64, EX_USAGE). Built on
// node:util parseArgs in strict mode, so an unknown or misspelt flag is an error, never ignored.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Topics } from '@crm/contracts';
import { type OffsetBound, parseBound } from '../window/offset-bound';
import { UsageError } from './usage.error';

export interface ReplayCommand {
  kind: 'replay';
  topic: string;
  from: OffsetBound;
  to: OffsetBound | null;
  conversations: string[];
  target: string;
  dryRun: boolean;
  sample: number;
  /** Also re-publish records an earlier replay wrote (skipped by default). */
  includeReplayed: boolean;
}

export interface ResumeCommand {
  kind: 'resume';
  replayId: string;
}

export interface DeadLettersInspectCommand {
  kind: 'dead-letters-inspect';
  reason: string | null;
  since: number | null;
  conversations: string[];
}

export interface DeadLettersRedriveCommand {
  kind: 'dead-letters-redrive';
  reason: string;
  since: number | null;
  conversations: string[];
  dryRun: boolean;
}

export interface ReextractCommand {
  kind: 'reextract';
  from: OffsetBound;
  to: OffsetBound | null;
  conversations: string[];
  definitionsFile: string | null;
  catalogueFile: string | null;
  apply: boolean;
}

export interface HelpCommand {
  kind: 'help';
}

export type Command =
  | ReplayCommand
  | ResumeCommand
  | DeadLettersInspectCommand
  | DeadLettersRedriveCommand
  | ReextractCommand
  | HelpCommand;

/** A topic by its full name or by its constant's name (`conversationEvents`). */
export function resolveTopic(name: string): string {
  const aliases = Topics as Record<string, string>;
  return aliases[name] ?? name;
}

function parseTime(flag: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at))
    throw new UsageError(`--${flag} expects an ISO 8601 time (e.g. 2026-11-30T10:00:00Z), got "${raw}"`);
  return at;
}

function required(flag: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new UsageError(`--${flag} is required`);
  return raw;
}

function positiveInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${flag} expects a positive integer`);
  return Number(raw);
}

type FlagValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

function strictParse(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { values: FlagValues } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return { values: parsed.values };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseReplay(args: string[]): ReplayCommand | ResumeCommand | HelpCommand {
  const { values } = strictParse(args, {
    topic: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    conversation: { type: 'string', multiple: true },
    target: { type: 'string' },
    'dry-run': { type: 'boolean' },
    sample: { type: 'string' },
    'include-replayed': { type: 'boolean' },
    resume: { type: 'string' },
  });
  if (values['help']) return { kind: 'help' };
  if (values['resume'] !== undefined) {
    const others = Object.keys(values).filter((name) => name !== 'resume');
    if (others.length > 0)
      throw new UsageError(`--resume takes no other flag (got --${others.join(', --')})`);
    if (!/^[\w.-]+$/.test(values['resume'] as string)) throw new UsageError('--resume expects a replay id');
    return { kind: 'resume', replayId: values['resume'] as string };
  }
  const topic = resolveTopic(required('topic', values['topic'] as string | undefined));
  return {
    kind: 'replay',
    topic,
    from: parseBound('from', required('from', values['from'] as string | undefined)),
    to: values['to'] === undefined ? null : parseBound('to', values['to'] as string),
    conversations: (values['conversation'] as string[] | undefined) ?? [],
    target: resolveTopic((values['target'] as string | undefined) ?? topic),
    dryRun: values['dry-run'] === true,
    sample: positiveInteger('sample', values['sample'] as string | undefined, 5),
    includeReplayed: values['include-replayed'] === true,
  };
}

function parseDeadLetters(args: string[]): Command {
  const [action, ...rest] = args;
  const { values } = strictParse(rest, {
    reason: { type: 'string' },
    since: { type: 'string' },
    conversation: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  });
  if (values['help']) return { kind: 'help' };
  const conversations = (values['conversation'] as string[] | undefined) ?? [];
  const since = parseTime('since', values['since'] as string | undefined);
  switch (action) {
    case 'inspect':
      if (values['dry-run']) throw new UsageError('inspect never writes; --dry-run belongs to redrive');
      return {
        kind: 'dead-letters-inspect',
        reason: (values['reason'] as string | undefined) ?? null,
        since,
        conversations,
      };
    case 'redrive':
      return {
        kind: 'dead-letters-redrive',
        reason: required('reason', values['reason'] as string | undefined),
        since,
        conversations,
        dryRun: values['dry-run'] === true,
      };
    default:
      throw new UsageError(`dead-letters expects "inspect" or "redrive", got "${action ?? ''}"`);
  }
}

function parseReextract(args: string[]): ReextractCommand | HelpCommand {
  const { values } = strictParse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    conversation: { type: 'string', multiple: true },
    definitions: { type: 'string' },
    catalogue: { type: 'string' },
    'dry-run': { type: 'boolean' },
    apply: { type: 'boolean' },
  });
  if (values['help']) return { kind: 'help' };
  if (values['dry-run'] && values['apply']) throw new UsageError('--dry-run and --apply exclude each other');
  return {
    kind: 'reextract',
    from: parseBound('from', required('from', values['from'] as string | undefined)),
    to: values['to'] === undefined ? null : parseBound('to', values['to'] as string),
    conversations: (values['conversation'] as string[] | undefined) ?? [],
    definitionsFile: (values['definitions'] as string | undefined) ?? null,
    catalogueFile: (values['catalogue'] as string | undefined) ?? null,
    apply: values['apply'] === true,
  };
}

/** argv without node and the script. The first word picks the command; topic replay is the default. */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
      throw new UsageError('no command given');
    case 'help':
      return { kind: 'help' };
    case 'dead-letters':
      return parseDeadLetters(rest);
    case 'reextract':
      return parseReextract(rest);
    case 'topic':
      return parseReplay(rest);
    default:
      return parseReplay([...argv]);
  }
}
