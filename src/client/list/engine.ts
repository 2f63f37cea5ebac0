/** What a list engine needs from the client: single calls, batches, and the retry allowance. */
import type { BatchCommand, BatchResponse, BitrixParams, CallResponse } from '../options.js';
import type { MethodProfile } from './method-profiles.js';

export interface ListContext {
  method: string;
  params: BitrixParams;
  profile: MethodProfile;
  call(method: string, params: BitrixParams, signal?: AbortSignal): Promise<CallResponse<unknown>>;
  batch(commands: Record<string, BatchCommand>, signal?: AbortSignal): Promise<BatchResponse>;
  maxRetries: number;
  signal?: AbortSignal;
}
