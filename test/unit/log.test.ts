/** The server log (pino): JSON lines with time/level/msg and fields, levels, the pretty format, redaction of secrets. */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type LogFields, type LogFormat, type ServerLogLevel } from '../../runtime/log.js';
import { clearSecrets, registerSecret } from '../../runtime/redact.js';

afterEach(() => clearSecrets());

/** A logger at `level` whose lines are collected. */
function collect(level: ServerLogLevel, format: LogFormat = 'json') {
  const lines: string[] = [];
  return { log: createLogger(level, (l) => lines.push(l), format), lines };
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('JSON lines', () => {
  const cases: { name: string; write: (log: ReturnType<typeof collect>['log']) => void; want: LogFields }[] = [
    { name: 'a message', write: (l) => l.info('serving x over stdio'), want: { level: 'info', msg: 'serving x over stdio' } },
    {
      name: 'a message with fields',
      write: (l) => l.warn('refused', { setting: 'transport.allowedHosts', host: 'evil:1' }),
      want: { level: 'warn', msg: 'refused', setting: 'transport.allowedHosts', host: 'evil:1' }
    },
    {
      name: "a child's fields on every line",
      write: (l) => l.child({ request_id: 7, session_id: 's-1' }).error('tools/call failed', { trace_id: 'ab'.repeat(16) }),
      want: { level: 'error', msg: 'tools/call failed', request_id: 7, session_id: 's-1', trace_id: 'ab'.repeat(16) }
    },
    {
      name: 'a message with printf-like text, quotes and a newline, kept as is',
      write: (l) => l.info('100% "done" %s\nnext line'),
      want: { level: 'info', msg: '100% "done" %s\nnext line' }
    },
    { name: 'debug when enabled', write: (l) => l.debug('detail'), want: { level: 'debug', msg: 'detail' } }
  ];
  it.each(cases)('$name', ({ write, want }) => {
    const { log, lines } = collect('debug');
    write(log);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n') && !lines[0]!.slice(0, -1).includes('\n')).toBe(true);
    const { time, ...rest } = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(time).toMatch(ISO_TIME);
    expect(rest).toEqual(want);
  });
});

describe('levels', () => {
  const cases: { level: ServerLogLevel; want: string[] }[] = [
    { level: 'debug', want: ['debug', 'info', 'warn', 'error'] },
    { level: 'info', want: ['info', 'warn', 'error'] },
    { level: 'warn', want: ['warn', 'error'] },
    { level: 'error', want: ['error'] }
  ];
  it.each(cases)('at $level: $want', ({ level, want }) => {
    const { log, lines } = collect(level);
    for (const l of ['debug', 'info', 'warn', 'error'] as const) log[l](l);
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(want);
    expect((['debug', 'info', 'warn', 'error'] as const).filter((l) => log.enabled(l))).toEqual(want);
  });
});

describe('pretty', () => {
  it('is the one-line format of before, with the fields after the message', () => {
    const { log, lines } = collect('info', 'pretty');
    log.warn('token leaked');
    log.info('request completed', { http_method: 'POST', tool: 'echo', status: 200, principal: 'a b', duration_ms: 1.5 });
    expect(lines).toEqual([
      'mcp-gen warn: token leaked\n',
      'mcp-gen info: request completed (http_method=POST tool=echo status=200 principal="a b" duration_ms=1.5)\n'
    ]);
  });
});

describe('redaction', () => {
  it('masks a registered secret in the message, in fields (names and nested values) and in a child', () => {
    registerSecret('hunter2-secret');
    const { log, lines } = collect('info');
    log.child({ principal: 'hunter2-secret' }).warn('token hunter2-secret leaked', {
      header: 'Bearer hunter2-secret',
      nested: { list: ['x hunter2-secret'] },
      'hunter2-secret': 1
    });
    expect(lines.join('')).not.toContain('hunter2');
    const { time: _t, ...line } = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toEqual({
      level: 'warn',
      principal: '[redacted]',
      msg: 'token [redacted] leaked',
      header: 'Bearer [redacted]',
      nested: { list: ['x [redacted]'] },
      '[redacted]': 1
    });
  });

  it('lets no generated secret through, whatever its characters, in JSON or pretty lines', () => {
    // Secret-looking: a fixed prefix (so it cannot be a word of the line itself) then any characters, quotes,
    // backslashes, control characters and lone surrogates included (JSON escapes them).
    const secret = fc.string({ unit: 'binary', minLength: 4, maxLength: 40 }).map((s) => `sk-${s}`.trim());
    fc.assert(
      fc.property(secret, fc.string(), fc.constantFrom<LogFormat>('json', 'pretty'), (s, around, format) => {
        clearSecrets();
        registerSecret(s);
        const { log, lines } = collect('info', format);
        log.info(`${around}${s}${around}`, { token: s, args: { q: `${around}${s}` } });
        const text = lines.join('');
        expect(text).not.toContain(s);
        expect(text).not.toContain(JSON.stringify(s).slice(1, -1));
      }),
      { numRuns: 300 }
    );
  });
});
