/**
 * Proof records as consent receipts with the Kantara Initiative Consent Receipt
 * Specification v1.1 field set, for the subject (GDPR Art. 15, 20) or an auditor.
 */
import type { ConsentRecord } from './consent-record';
import type { ConsentPurpose } from './purposes';

/**
 * The controller named on receipts (Kantara `piiControllers[]`).
 *
 * @example
 * ```ts
 * import type { ConsentReceiptController } from 'guanxi/consent';
 *
 * const controller: ConsentReceiptController = { piiController: 'Example Shop GmbH', contact: 'Data Protection Officer', email: 'privacy@shop.example', address: 'Hauptstr. 1, 10115 Berlin', piiControllerUrl: 'https://shop.example' };
 * ```
 */
export interface ConsentReceiptController {
  readonly piiController: string;
  readonly contact: string;
  readonly address: string;
  readonly email: string;
  readonly phone?: string;
  readonly piiControllerUrl?: string;
  readonly onBehalf?: boolean;
}

/**
 * One purpose on a receipt (Kantara `services[].purposes[]`), with guanxi's state.
 *
 * @example
 * ```ts
 * import type { ConsentReceiptPurpose } from 'guanxi/consent';
 *
 * const purpose: ConsentReceiptPurpose = { purpose: 'Analytics', purposeCategory: ['analytics'], consentType: 'EXPLICIT', piiCategory: ['identifier'], primaryPurpose: false, termination: 'Until withdrawn', thirdPartyDisclosure: false, state: 'granted', form: 'general' };
 * ```
 */
export interface ConsentReceiptPurpose {
  readonly purpose: string;
  readonly purposeCategory: readonly string[];
  readonly consentType: string;
  readonly piiCategory: readonly string[];
  readonly primaryPurpose: boolean;
  readonly termination: string;
  readonly thirdPartyDisclosure: boolean;
  readonly thirdPartyName?: string;
  /** guanxi extension: the state recorded (`granted`, `denied`, `objected`, `pending`). */
  readonly state: string;
  /** guanxi extension: the consent form (`general`, `explicit`, `separate`). */
  readonly form: string;
}

/**
 * A consent receipt: the Kantara CR v1.1 fields, plus a `guanxi` member linking it to
 * its proof record (notice hash, record hash).
 *
 * @example
 * ```ts
 * import type { ConsentReceipt } from 'guanxi/consent';
 *
 * declare const receipt: ConsentReceipt;
 * console.log(receipt.version, receipt.consentReceiptID, receipt.services[0]?.purposes.length);
 * ```
 */
export interface ConsentReceipt {
  readonly version: 'KI-CR-v1.1.0';
  readonly jurisdiction: string;
  /** Seconds since the epoch (Kantara uses epoch seconds). */
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  readonly consentReceiptID: string;
  readonly language: string;
  readonly piiPrincipalId: string;
  readonly piiControllers: readonly ConsentReceiptController[];
  readonly policyUrl: string;
  readonly services: readonly { readonly service: string; readonly purposes: readonly ConsentReceiptPurpose[] }[];
  readonly sensitive: boolean;
  readonly spiCat: readonly string[];
  readonly guanxi: {
    readonly noticeVersion: string;
    readonly noticeSha256: string;
    readonly source: string;
    readonly action?: string;
    readonly libraryVersion: string;
    readonly sequence: number;
    readonly recordHash: string;
  };
}

/**
 * What a receipt needs besides the record.
 *
 * @example
 * ```ts
 * import type { ConsentReceiptOptions } from 'guanxi/consent';
 *
 * const options: ConsentReceiptOptions = {
 *   controller: { piiController: 'Example Shop', contact: 'DPO', address: '1 Main St', email: 'privacy@shop.example' },
 *   policyUrl: 'https://shop.example/privacy',
 * };
 * ```
 */
export interface ConsentReceiptOptions {
  readonly controller: ConsentReceiptController;
  /** The privacy policy; defaults to the notice URL in the record. */
  readonly policyUrl?: string;
  /**
   * The service name.
   * @default the controller's name
   */
  readonly service?: string;
  /**
   * Purpose definitions, for titles, categories and third-party disclosure.
   * @default []
   */
  readonly purposes?: readonly ConsentPurpose[];
  /**
   * How consent ends, in words.
   * @default 'Until withdrawn (as easily as given, GDPR Art. 7(3)), or when the notice changes'
   */
  readonly termination?: string;
}

/**
 * Turns a proof record into a consent receipt with the Kantara Consent Receipt v1.1
 * field set. `consentType` is `EXPLICIT` for a choice the subject made by an
 * affirmative act and `IMPLICIT` for one derived from a GPC or DNT signal; the GDPR/PIPL
 * form (general, explicit, separate) is kept in the `form` extension of each purpose.
 *
 * @example
 * ```ts
 * import { createConsentRegister, toConsentReceipt } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'We use…', language: 'en', url: 'https://shop.example/privacy' } });
 * const record = await consent.grant(['analytics'], { source: 'banner' });
 * if (record) {
 *   const receipt = toConsentReceipt(record, { controller: { piiController: 'Example Shop', contact: 'DPO', address: '1 Main St', email: 'privacy@shop.example' } });
 *   console.log(JSON.stringify(receipt));
 * }
 * ```
 */
export function toConsentReceipt(record: ConsentRecord, options: ConsentReceiptOptions): ConsentReceipt {
  const definitions = new Map((options.purposes ?? []).map((purpose) => [purpose.id, purpose] as const));
  const termination = options.termination ?? 'Until withdrawn (as easily as given, GDPR Art. 7(3)), or when the notice changes';
  const signal = record.source === 'gpc' || record.source === 'dnt';
  const spiCat = new Set<string>();
  const purposes = record.purposes.map((change): ConsentReceiptPurpose => {
    const definition = definitions.get(change.purpose);
    const categories = definition?.categories ?? [];
    if (categories.includes('sensitive')) spiCat.add(change.purpose);
    const shared = Boolean(definition?.processing?.sharing || definition?.processing?.sale);
    return {
      purpose: definition?.title ?? change.purpose,
      purposeCategory: [change.purpose],
      consentType: signal ? 'IMPLICIT' : 'EXPLICIT',
      piiCategory: [...categories],
      primaryPurpose: definition?.alwaysOn ?? false,
      termination,
      thirdPartyDisclosure: shared,
      state: change.state,
      form: change.form,
    };
  });
  const policyUrl = options.policyUrl ?? record.notice.url ?? '';
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: record.jurisdiction,
    consentTimestamp: Math.floor(record.recordedAt / 1000),
    collectionMethod: record.action ? `${record.source}: ${record.action}` : record.source,
    consentReceiptID: record.id,
    language: record.notice.language,
    piiPrincipalId: record.subject.userId ?? record.subject.anonymousId ?? '',
    piiControllers: [options.controller],
    policyUrl,
    services: [{ service: options.service ?? options.controller.piiController, purposes }],
    sensitive: spiCat.size > 0,
    spiCat: [...spiCat],
    guanxi: {
      noticeVersion: record.notice.version,
      noticeSha256: record.notice.sha256,
      source: record.source,
      ...(record.action === undefined ? {} : { action: record.action }),
      libraryVersion: record.libraryVersion,
      sequence: record.sequence,
      recordHash: record.hash,
    },
  };
}
