/**
 * IAB TCF v2.2/2.3 TC string decoding (decode only), as its own small entry.
 * @packageDocumentation
 */
export { ConsentSignalError, isConsentSignalError, type ConsentSignalErrorReason } from './consent-signal-error';
export { decodeTcString, type TcString, type TcfPublisherRestriction, type TcfPublisherSegment } from './decode';
export {
  defaultTcfPurposeMapping,
  tcfPurposeStates,
  listenToTcfApi,
  type TcfPurposeMapping,
  type TcfPurposeOptions,
  type TcfApiData,
  type TcfListenerOptions,
} from './mapping';
