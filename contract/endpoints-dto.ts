/** What the network inspector shows of a container's metadata and credentials endpoints. */

/** The task-role credentials endpoint as a container sees it: status only, never key values. */
export interface CredentialsStatus {
  readonly roleArn: string;
  /** `/v2/credentials/…` (the opaque id is elided). */
  readonly relativeUri: string;
  /** Where local credentials come from ("AWS profile", "environment"…). */
  readonly source: string;
  readonly profile?: string;
  readonly expiration?: string;
  /** Why credentials could not be obtained. */
  readonly error?: string;
}

/** What one container sees at its metadata v4 endpoint (documents as served), for the inspector. */
export interface ContainerEndpointsView {
  readonly container: string;
  /** `ECS_CONTAINER_METADATA_URI_V4` inside the container. */
  readonly metadataUri?: string;
  /** Parsed JSON documents: root (this container), `/task`, `/stats`. */
  readonly root?: unknown;
  readonly task?: unknown;
  readonly stats?: unknown;
  /** Present only for a task with a taskRoleArn. */
  readonly credentials?: CredentialsStatus;
  /** Why nothing is shown (stopped task, re-adopted after a restart, endpoints disabled). */
  readonly unavailable?: string;
}
