/** The application services behind the contract (built once by the composition root). */
import type { AppInfo, ContainerEndpointsView } from '../../contract/dto.js';
import type { DefinitionsLibrary } from './definitions-library.js';
import type { DockerSession } from './docker-session.js';
import type { LaunchRecords } from './launch-records.js';
import type { SettingsStore } from './settings-store.js';

/** Everything the operation handlers need. */
export interface AppServices {
  readonly library: DefinitionsLibrary;
  readonly settings: SettingsStore;
  readonly launches: LaunchRecords;
  readonly docker: DockerSession;
  readonly info: () => AppInfo;
  /**
   * What a container sees at its metadata/credentials endpoints; absent when the engine was built
   * without endpoints (tests), and the handler then says so.
   */
  readonly endpointView?: (
    taskId: string,
    containerName: string,
  ) => Promise<Omit<ContainerEndpointsView, 'container'>>;
}
