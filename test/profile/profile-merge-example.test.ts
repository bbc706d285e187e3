/**
 * Runs the profile merge walkthrough (`npm run demo:profile`) in a child process and
 * checks what it prints.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('examples/profile-merge.ts', () => {
  it('shows an anonymous visitor, a logged-in user and a CRM record merging into one profile', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx/esm', path.join(root, 'examples', 'profile-merge.ts')], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('1. web: anonymous visitor anon-7f3c');
    expect(output).toContain('→ created profile-1 (customer number C00000001)');
    expect(output).toContain('→ created profile-2 (customer number C00000002)');
    expect(output).toContain('→ merged profile-1 into profile-2 (customer number C00000002)');
    expect(output).toContain('both resolve to profile-2; profiles in the graph: 1');
    // The merged profile: name from the CRM, user id and verified email from the app, language from the web.
    expect(output).toContain('韩梅梅 (Meimei Han), customer number C00000002');
    expect(output).toContain('user id u-1024, devices anon-7f3c, HubSpot 51234');
    expect(output).toContain('email hanmeimei@example.cn (verified); phone +8613912345678');
    expect(output).toContain('stage customer, tier silver, owner staff-li, first touch trade-fair-2026');
    // Provenance: source and observation time per value.
    expect(output).toMatch(/fullName\s+crm\s+2026-02-20T14:00:00\.000Z\s+\(identifier\)/);
    expect(output).toMatch(/language\s+web\s+2026-03-01T09:15:00\.000Z\s+\(demographic\)/);
    expect(output).toMatch(/identities\.userId\s+app\s+2026-03-01T09:20:00\.000Z\s+\(identifier\)/);
    // History: before → after with source.
    expect(output).toContain('app  lifecycleStage: lead → customer');
    expect(output).toContain('app  traits.plan: free → plus');
    // Conflicts and erasure.
    expect(output).toContain('separate profile profile-3; conflicts reported: 1 (userId differs, shared anonymousId)');
    expect(output).toContain('A later event with her email → refused (erased)');
  });
});
