import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import type { Logger } from '../../runtime/log.js';
import { openStateStore, resolveStateSetting } from '../../runtime/state/index.js';
import type { StateStore } from '../../runtime/state/store.js';

/** `--state URL`, else MCPGEN_STATE, else the manifest's `state.store` (runtime/state resolves `${VAR}`s). */
export function stateStoreFor(values: Record<string, unknown>, loaded: LoadedArtifact, log: Logger): Promise<StateStore> {
  const flag = values.state === undefined ? undefined : String(values.state);
  return openStateStore(resolveStateSetting(loaded.artifact.state, flag), log);
}
