import { describe, expect, it } from 'vitest';
import { decodeTcString, listenToTcfApi, tcfPurposeStates, type ConsentSignalError, type TcString } from 'guanxi/consent/tcf';
import { createConsentRegister } from 'guanxi/consent';

const vendorString = 'COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA';

describe('TCF purposes → guanxi purposes', () => {
  it('grants a guanxi purpose only when every mapped TCF purpose has consent', () => {
    // Purposes 3–9 consented, purpose 1 not: nothing that needs device storage is granted.
    const tc = decodeTcString(vendorString);
    expect(tcfPurposeStates(tc)).toEqual({ analytics: 'denied', personalization: 'denied', advertising: 'denied' });
    expect(tcfPurposeStates(tc, { mapping: { analytics: [8, 9], advertising: [3, 4] } })).toEqual({ analytics: 'granted', advertising: 'granted' });
  });

  it('reads the publisher segment when present, and can require a vendor’s own consent', () => {
    const tc = decodeTcString(`${vendorString}.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA.cAAAAAAAITg=`);
    const mapping = { analytics: [1], advertising: [3] };
    expect(tcfPurposeStates(tc, { mapping })).toEqual({ analytics: 'granted', advertising: 'denied' });
    expect(tcfPurposeStates(tc, { mapping, source: 'vendors' })).toEqual({ analytics: 'denied', advertising: 'granted' });
    expect(tcfPurposeStates(tc, { mapping: { advertising: [3] }, source: 'vendors', vendorId: 23 }).advertising).toBe('granted');
    expect(tcfPurposeStates(tc, { mapping: { advertising: [3] }, source: 'vendors', vendorId: 24 }).advertising).toBe('denied');
  });
});

describe('listenToTcfApi', () => {
  function fakeCmp() {
    const listeners = new Map<number, (data: unknown, success: boolean) => void>();
    let next = 7;
    const removed: number[] = [];
    const tcfapi = (command: unknown, version: unknown, callback: unknown, id?: unknown) => {
      if (version !== 2) throw new Error('version');
      if (command === 'addEventListener') listeners.set(next++, callback as (data: unknown, success: boolean) => void);
      if (command === 'removeEventListener') removed.push(id as number);
    };
    const emit = (data: Record<string, unknown>, success = true) => {
      for (const [listenerId, callback] of listeners) callback({ listenerId, ...data }, success);
    };
    return { tcfapi, emit, removed };
  }

  it('decodes strings when the CMP has loaded or the visitor acted, and stops on request', () => {
    const cmp = fakeCmp();
    const seen: TcString[] = [];
    const stop = listenToTcfApi((tc) => seen.push(tc), { tcfapi: cmp.tcfapi });
    cmp.emit({ eventStatus: 'cmpuishown', tcString: vendorString, gdprApplies: true });
    cmp.emit({ eventStatus: 'tcloaded', tcString: vendorString, gdprApplies: false });
    cmp.emit({ eventStatus: 'useractioncomplete', tcString: vendorString, gdprApplies: true });
    expect(seen.map((tc) => tc.cmpId)).toEqual([2]);
    stop();
    expect(cmp.removed).toEqual([7]);
    cmp.emit({ eventStatus: 'useractioncomplete', tcString: vendorString, gdprApplies: true });
    expect(seen).toHaveLength(1);
  });

  it('never throws: bad strings, failing CMPs and failing listeners go to onError', () => {
    const cmp = fakeCmp();
    const errors: ConsentSignalError[] = [];
    listenToTcfApi(() => {
      throw new Error('listener bug');
    }, { tcfapi: cmp.tcfapi, onError: (error) => errors.push(error) });
    expect(() => cmp.emit({ eventStatus: 'tcloaded', tcString: 'not!valid', gdprApplies: true })).not.toThrow();
    expect(() => cmp.emit({ eventStatus: 'tcloaded', tcString: vendorString, gdprApplies: true })).not.toThrow();
    expect(errors.map((error) => error.reason)).toEqual(['bad_encoding', 'bad_segment']);
    expect(() => listenToTcfApi(() => undefined, { tcfapi: () => { throw new Error('cmp down'); }, onError: () => { throw new Error('also broken'); } })).not.toThrow();
  });

  it('does nothing without __tcfapi, and finds it on globalThis when present', () => {
    expect(listenToTcfApi(() => undefined)).toBeTypeOf('function');
    const cmp = fakeCmp();
    (globalThis as Record<string, unknown>).__tcfapi = cmp.tcfapi;
    try {
      const seen: number[] = [];
      listenToTcfApi((tc) => seen.push(tc.cmpId));
      cmp.emit({ eventStatus: 'tcloaded', tcString: vendorString, gdprApplies: true });
      expect(seen).toEqual([2]);
    } finally {
      delete (globalThis as Record<string, unknown>).__tcfapi;
    }
  });

  it('feeds the consent register, recorded with source tcf', async () => {
    const cmp = fakeCmp();
    const consent = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'Notice', language: 'en' }, globalPrivacyControl: () => false });
    const updates: Promise<unknown>[] = [];
    listenToTcfApi((tc) => updates.push(consent.update({ purposes: tcfPurposeStates(tc, { mapping: { analytics: [8, 9], advertising: [2] } }), source: 'tcf', action: 'cmp' })), { tcfapi: cmp.tcfapi });
    cmp.emit({ eventStatus: 'useractioncomplete', tcString: vendorString, gdprApplies: true });
    expect(consent.state('analytics')).toBe('granted');
    expect(consent.state('advertising')).toBe('denied');
    await Promise.all(updates);
    expect(consent.log.records()[0]).toMatchObject({ source: 'tcf', action: 'cmp' });
  });
});
