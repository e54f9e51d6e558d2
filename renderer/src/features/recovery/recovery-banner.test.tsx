import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import type { RecoveryStatus } from '../../../../contract/dto.js';
import { RecoveryBannerView } from './RecoveryBanner.js';
import { recoveryBanner } from './recovery-banner-model.js';

const status = (over: Partial<RecoveryStatus['orphans']> = {}, warnings: string[] = []): RecoveryStatus => ({
  orphans: { containers: 0, networks: 0, volumes: 0, tempDataDirs: 0, ...over },
  orphanSummary: '',
  dataWarnings: warnings.map((message) => ({ time: '2026-12-07T03:00:00.000Z', message })),
});

describe('recovery banner', () => {
  test('hidden when nothing is orphaned or damaged (or before the first answer)', () => {
    expect(recoveryBanner(undefined)).toBeUndefined();
    expect(recoveryBanner(status())).toBeUndefined();
    expect(
      renderToStaticMarkup(<RecoveryBannerView status={status()} busy={false} onCleanUp={() => {}} />),
    ).toBe('');
  });

  test('says how many orphaned containers, from a Taskdeck process that is gone, with Clean up', () => {
    const html = renderToStaticMarkup(
      <RecoveryBannerView
        status={status({ containers: 3, networks: 1, tempDataDirs: 1 })}
        busy={false}
        onCleanUp={() => {}}
      />,
    );
    expect(html).toContain(
      '3 orphaned containers (and 1 network, 1 temporary data dir) from a Taskdeck process that is gone',
    );
    expect(html).toContain('data-testid="orphan-clean-up"');
    expect(html).toContain('>Clean up</button>');
  });

  test('one container, and the button says it is working while cleaning up', () => {
    expect(recoveryBanner(status({ containers: 1 }))?.orphans).toBe(
      '1 orphaned container from a Taskdeck process that is gone',
    );
    const html = renderToStaticMarkup(
      <RecoveryBannerView status={status({ containers: 1 })} busy onCleanUp={() => {}} />,
    );
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Cleaning up…<\/button>/);
  });

  test('damaged data is listed (no Clean up button without orphans)', () => {
    const msg = '/data/settings.json is damaged (not JSON); kept aside as /data/settings.json.corrupt-x';
    const html = renderToStaticMarkup(
      <RecoveryBannerView status={status({}, [msg])} busy={false} onCleanUp={() => {}} />,
    );
    expect(html).toContain('1 problem with damaged data (kept aside, never overwritten)');
    expect(html).toContain(msg);
    expect(html).not.toContain('orphan-clean-up');
  });
});
