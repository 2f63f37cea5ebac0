/** A stream family: its declaration, and how it becomes streams on a given portal. */
import type { BatchCommand } from '../../client/index.js';
import type { StreamDeclaration } from '../declaration.js';
import type { Stream, StreamOptions, UnavailableStream } from '../stream.js';
import type { PortalCatalog } from './portal-catalog.js';

export interface DiscoveredStreams {
  streams: Stream[];
  unavailable: UnavailableStream[];
}

export interface StreamFamily {
  readonly declaration: StreamDeclaration;
  /** Describe calls (`*.fields`) discovery sends in one batch before any family is built. */
  describeCalls?(options: StreamOptions): BatchCommand[];
  /** The family's streams on this portal; throw `StreamUnavailable` to leave it out with a reason. */
  discover(portal: PortalCatalog): Promise<Stream | DiscoveredStreams>;
}

/** Key and replication keys are always read, whatever the catalog selects. */
export function alwaysKept(declaration: StreamDeclaration): string[] {
  return [...new Set([...declaration.keyProperties, ...declaration.validReplicationKeys])];
}
