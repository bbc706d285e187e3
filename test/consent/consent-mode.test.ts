import { describe, expect, it } from 'vitest';
import { connectConsentMode, consentModeState, createConsentRegister, defaultConsentModeMapping } from 'guanxi/consent';

const notice = { version: 'v1', text: 'Notice', language: 'en' };

describe('Google Consent Mode v2', () => {
  it('derives the seven signals from purposes', () => {
    const state = consentModeState({
      purposes: { necessary: 'granted', analytics: 'granted', personalization: 'pending', advertising: 'granted', 'sale-sharing': 'denied' },
      takenAt: 0,
    });
    expect(state).toEqual({
      ad_storage: 'granted',
      analytics_storage: 'granted',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      functionality_storage: 'granted',
      personalization_storage: 'denied',
      security_storage: 'granted',
    });
    expect(Object.keys(defaultConsentModeMapping)).toHaveLength(7);
  });

  it('pushes default at once, then update on changes only', async () => {
    const calls: unknown[][] = [];
    const register = createConsentRegister({ jurisdiction: 'EU', notice, globalPrivacyControl: () => false });
    const disconnect = connectConsentMode(register, { gtag: (...args) => void calls.push(args), waitForUpdate: 500 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe('consent');
    expect(calls[0]?.[1]).toBe('default');
    expect(calls[0]?.[2]).toMatchObject({ analytics_storage: 'denied', ad_storage: 'denied', security_storage: 'granted', wait_for_update: 500 });
    await register.grant(['analytics']);
    expect(calls[1]).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted', ad_storage: 'denied' })]);
    await register.grant(['marketing']); // no signal changes
    expect(calls).toHaveLength(2);
    disconnect();
    await register.grant(['advertising', 'sale-sharing']);
    expect(calls).toHaveLength(2);
  });

  it('uses window.gtag when present, does nothing without it, and survives a throwing gtag', async () => {
    const register = createConsentRegister({ jurisdiction: 'EU', notice, globalPrivacyControl: () => false });
    expect(() => connectConsentMode(register)).not.toThrow();
    const calls: unknown[][] = [];
    const globals = globalThis as Record<string, unknown>;
    globals.window = { gtag: (...args: unknown[]) => void calls.push(args) };
    try {
      connectConsentMode(register);
      expect(calls[0]?.[1]).toBe('default');
      connectConsentMode(register, { gtag: () => { throw new Error('broken tag'); } });
      await expect(register.grant(['analytics'])).resolves.toBeDefined();
    } finally {
      delete globals.window;
    }
  });
});
