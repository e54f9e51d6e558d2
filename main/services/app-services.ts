/** The application services behind the contract (built once by the composition root). */
import type { AppInfo, ContainerEndpointsView } from '../../contract/dto.js';
import type { ExecSessions } from '../exec/exec-sessions.js';
import type { DefinitionsLibrary } from './definitions-library.js';
import type { DockerSession } from './docker-session.js';
import type { LaunchRecords } from './launch-records.js';
import type { RecoveryService } from './recovery-service.js';
import type { ServiceBackend } from './service-backend.js';
import type { SettingsStore } from './settings-store.js';

/** Everything the operation handlers need. */
export interface AppServices {
  readonly library: DefinitionsLibrary;
  readonly settings: SettingsStore;
  readonly launches: LaunchRecords;
  readonly docker: DockerSession;
  readonly info: () => AppInfo;
  /** ECS Exec sessions; absent → exec operations say it is unavailable. */
  readonly exec?: ExecSessions;
  /**
   * What a container sees at its metadata/credentials endpoints; absent when the engine was built
   * without endpoints (tests), and the handler then says so.
   */
  readonly endpointView?: (
    taskId: string,
    containerName: string,
  ) => Promise<Omit<ContainerEndpointsView, 'container'>>;
  /** Orphans and damaged data (recovery-service.ts); absent → nothing to report. */
  readonly recovery?: RecoveryService;
  /** ECS services (issue 13); absent → the services operations say they are unavailable. */
  readonly services?: ServiceBackend;
}
