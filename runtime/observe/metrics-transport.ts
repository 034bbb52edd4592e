import type { Registry } from 'prom-client';
import type { AuthRejection, TransportTelemetry } from '../core/telemetry.js';
import { BoundCounter, BoundHistogram } from './metric-series.js';
import { OTHER, versionLabel } from './metrics-labels.js';
import { readGauge } from './metrics-kinds.js';

const rejections = new Set<AuthRejection>([
  'missing_credentials',
  'invalid_credentials',
  'insufficient_scope',
  'host_not_allowed',
  'origin_not_allowed'
]);

/** What the HTTP transport reports: 2025 sessions (open, refused, their duration), SSE streams and refused callers. */
export function transportMetrics(registry: Registry): TransportTelemetry {
  const open = { sessions: 0, streams: 0 };
  readGauge(registry, 'mcpgen_sessions_active', 'Open 2025-era HTTP sessions.', () => open.sessions);
  readGauge(registry, 'mcpgen_sse_streams_open', 'Open SSE streams (GET streams and POST answers sent as streams).', () => open.streams);
  const refused = new BoundCounter(
    'mcpgen_sessions_refused_total',
    'New 2025-era sessions refused: reason quota (transport.maxSessionsPerPrincipal) or full (transport.maxSessions).',
    ['reason']
  ).register(registry);
  const duration = new BoundHistogram(
    'mcp_server_session_duration_seconds',
    'Duration of 2025-era MCP sessions, recorded when they end.',
    ['network_transport', 'mcp_protocol_version'],
    // Sessions last minutes to hours: the conventions' request buckets would put them all in the last one.
    [1, 5, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400]
  ).register(registry);
  const auth = new BoundCounter('mcpgen_auth_rejections_total', 'HTTP requests refused before the MCP request ran (401, 403), by reason.', [
    'reason'
  ]).register(registry);
  return {
    sessionOpened: () => void open.sessions++,
    sessionEnded(seconds, version) {
      open.sessions--;
      duration.series(['tcp', versionLabel(version)]).observe(seconds);
    },
    sessionRefused: (reason) => refused.series([reason === 'quota' ? 'quota' : 'full']).inc(),
    streamOpened: () => void open.streams++,
    streamClosed: () => void open.streams--,
    authRejected: (reason) => auth.series([rejections.has(reason) ? reason : OTHER]).inc()
  };
}
