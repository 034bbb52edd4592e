import type { SourceHandle } from '../kind.js';
import { createAgents, type Agents } from './client.js';
import type { OpenApiSourceIR } from './ir.js';
import { TokenCache } from './tokens.js';

/**
 * An HTTP API opened for one served artifact: its keep-alive connections and its OAuth2 tokens, shared by its tools.
 * No `ready()`: the API is a third party's, not a dependency of this process; an upstream outage must not take this
 * instance out of a load balancer (every instance would go at once), its calls report it as tool errors instead.
 */
export class OpenApiSource implements SourceHandle {
  readonly tokens = new TokenCache();
  readonly agents: Agents = createAgents();

  constructor(
    readonly name: string,
    readonly ir: OpenApiSourceIR
  ) {}

  async dispose(): Promise<void> {
    await this.agents.destroy();
  }
}
