// The usage text, printed for `help`, `--help` and (on stderr) after every usage error.
export const USAGE = `Usage:
  replay --topic <topic> --from <time|offset> [--to <time|offset>] [--conversation <id>]...
         [--target <topic>] [--dry-run] [--sample <n>] [--include-replayed]
  replay --resume <replay-id>
  replay dead-letters inspect [--reason <reason>] [--since <time>] [--conversation <id>]...
  replay dead-letters redrive --reason <reason> [--since <time>] [--conversation <id>]... [--dry-run]
  replay reextract --from <time|offset> [--to <time|offset>] [--conversation <id>]...
         [--definitions <file>] [--catalogue <file>] [--dry-run | --apply]
  replay help

  <time>    ISO 8601, e.g. 2026-11-30T10:00:00Z (the first record at or after it)
  <offset>  one offset for every partition (120), or per partition (0:120,3:45)
  <topic>   a full name or its constant's name (conversationEvents, entityExtracted, ...)

Exit codes: 0 done, 64 bad arguments, 78 bad configuration, 130 interrupted (resumable), 1 failure.
See apps/replay/README.md.
`;
