/** Messages between the logs viewer and its worker (one worker per open task log). */
import type { FeedOutput, FeedRequest } from './log-feed.js';

export type ToLogWorker = { readonly kind: 'start' } & FeedRequest;

export type FromLogWorker = FeedOutput;
