/** The application services behind the contract (built once by the composition root). */
import type { AppInfo } from '../../contract/dto.js';
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
}
