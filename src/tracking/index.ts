/**
 * Touchpoint and event tracking: a typed tracker for browsers and Node with a consent
 * gate at capture, a durable queue, batching, retries and lossless unload delivery, and
 * the Segment-compatible wire format as zod/mini schemas for collectors.
 * @packageDocumentation
 */
export {
  createTracker,
  type Tracker,
  type TrackingCallOptions,
  type FlushResult,
} from './tracker';
export {
  defaultTrackerOptions,
  resolveTrackerOptions,
  type TrackerOptions,
  type ResolvedTrackerOptions,
  type EventCatalog,
  type TrackingCallKind,
  type TrackingErasureRequest,
} from './options';
export { dropReasons, type DropReason, type TrackingOutcome, type TrackerStats } from './outcome';
export type { TrackingPlugin } from './plugin';
export { cookieIdentityStorage, type IdentityStorage } from './identity-storage';
export { fetchTransport, type TrackingTransport, type TrackingRequest, type TrackingResponse } from './transport';
export {
  touchpointChannels,
  touchpointTypes,
  touchpointEventName,
  type TouchpointChannel,
  type TouchpointType,
  type TouchpointDirection,
  type TouchpointStatus,
  type TouchpointInput,
} from './touchpoint';
export {
  TrackingMessage,
  TrackingBatch,
  TrackingContext,
  TrackingConsentStamp,
  TouchpointRecord,
  isTouchpointMessage,
} from './wire-schema';
export { TrackingDeliveryError, isTrackingDeliveryError } from './errors/tracking-delivery-error';
export { TrackingStorageError, isTrackingStorageError } from './errors/tracking-storage-error';
export { TrackingPluginError, isTrackingPluginError } from './errors/tracking-plugin-error';
