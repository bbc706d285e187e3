/**
 * The two consent gates a page can give the tracker — the full register and the lean
 * storefront gate fed a server-resolved policy — behind one shape, so the same tests
 * run against both.
 */
import {
  createConsentRegister,
  createStorefrontConsentGate,
  resolveConsentPolicy,
  type ConsentErasureRequest,
  type ConsentGate,
  type ConsentHow,
  type ConsentNotice,
  type ConsentPurpose,
  type ConsentRecordDraft,
  type ConsentStorage,
  type PurposeId,
  type PurposeState,
} from '../../src/consent/index';
import type { Clock } from '../../src/core/clock';

/** What both gates offer a banner: the gate plus the changes a banner makes. */
export interface BannerConsentGate extends ConsentGate {
  readonly ready: Promise<void>;
  state(purpose: PurposeId): PurposeState;
  update(change: ConsentHow & { readonly purposes: Readonly<Record<PurposeId, PurposeState>> }): Promise<ConsentRecordDraft | undefined>;
  acceptAll(how?: ConsentHow): Promise<ConsentRecordDraft | undefined>;
  rejectAll(how?: ConsentHow): Promise<ConsentRecordDraft | undefined>;
}

export interface ConsentGateSetup {
  readonly jurisdiction: string;
  readonly notice: ConsentNotice;
  readonly purposes?: readonly ConsentPurpose[];
  readonly clock?: Clock;
  readonly storage?: ConsentStorage;
  readonly gpc?: () => boolean;
  readonly subject?: { anonymousId?: string; userId?: string };
  readonly reconsentAfterMonths?: number;
  readonly onRecord?: (draft: ConsentRecordDraft) => void;
  readonly onErasureRequest?: (request: ConsentErasureRequest) => void;
  readonly onError?: (error: unknown) => void;
}

export interface ConsentGateKind {
  readonly name: 'register' | 'storefront gate';
  make(setup: ConsentGateSetup): BannerConsentGate;
}

export const consentGateKinds: readonly ConsentGateKind[] = [
  {
    name: 'register',
    make: (setup) =>
      createConsentRegister({
        jurisdiction: setup.jurisdiction,
        notice: setup.notice,
        ...(setup.purposes ? { purposes: setup.purposes } : {}),
        ...(setup.clock ? { clock: setup.clock } : {}),
        ...(setup.storage ? { storage: setup.storage } : {}),
        ...(setup.subject ? { subject: setup.subject } : {}),
        ...(setup.reconsentAfterMonths ? { reconsentAfterMonths: setup.reconsentAfterMonths } : {}),
        globalPrivacyControl: setup.gpc ?? (() => false),
        onRecord: setup.onRecord,
        onErasureRequest: setup.onErasureRequest,
        onError: setup.onError,
      }),
  },
  {
    name: 'storefront gate',
    make: (setup) =>
      createStorefrontConsentGate({
        // What the server would send: the jurisdiction's policy for the configured purposes.
        policy: JSON.parse(
          JSON.stringify(
            resolveConsentPolicy(setup.jurisdiction, {
              ...(setup.purposes ? { purposes: setup.purposes } : {}),
              ...(setup.reconsentAfterMonths ? { reconsentAfterMonths: setup.reconsentAfterMonths } : {}),
            }),
          ),
        ),
        notice: setup.notice,
        ...(setup.clock ? { clock: setup.clock } : {}),
        ...(setup.storage ? { storage: setup.storage } : {}),
        ...(setup.subject ? { subject: setup.subject } : {}),
        globalPrivacyControl: setup.gpc ?? (() => false),
        onRecord: setup.onRecord,
        onErasureRequest: setup.onErasureRequest,
        onError: setup.onError,
      }),
  },
];
