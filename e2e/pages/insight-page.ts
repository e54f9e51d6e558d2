/** The task detail's visual-debugging tabs: graph, timeline, health, logs, network, events. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { AppPage } from './app-page.js';

export type InsightTabName =
  'Overview' | 'Graph' | 'Timeline' | 'Health' | 'Logs' | 'Network' | 'Events' | 'Resources';

export class InsightPage {
  constructor(readonly page: Page) {}

  async tab(name: InsightTabName): Promise<void> {
    await this.page.getByRole('tab', { name, exact: true }).click();
  }

  node(name: string): Locator {
    return this.page.getByTestId(`graph-node-${name}`);
  }

  edge(source: string, target: string): Locator {
    return this.page.getByTestId(`graph-edge-${source}-${target}`);
  }

  timelineRowNames(): Locator {
    return this.page.getByTestId('timeline-row-name');
  }

  marker(kind: 'released' | 'dependency-failed' | 'stop-requested' | 'stopping'): Locator {
    return this.page.getByTestId(`timeline-marker-${kind}`);
  }

  logCount(): Locator {
    return this.page.getByTestId('log-count');
  }

  logSearch(): Locator {
    return this.page.getByLabel('Search logs');
  }

  /** Both themes of the current view into e2e/screenshots/<name>-{light,dark}.png. */
  async screenshotBoth(app: AppPage, name: string, ready?: () => Promise<void>): Promise<void> {
    for (const theme of ['light', 'dark'] as const) {
      await app.setTheme(theme);
      await this.page.locator('main.main').evaluate((el) => el.scrollTo(0, 0));
      await ready?.();
      await app.screenshot(name);
    }
    await app.setTheme('light');
  }

  /** The task's status as the detail header shows it (visible on every tab). */
  async expectTaskStatus(status: string, timeout = 30_000): Promise<void> {
    await expect(
      this.page.getByTestId('task-detail').locator('.detail-header [data-status]').first(),
    ).toHaveAttribute('data-status', status, { timeout });
  }

  async expectEdgeState(source: string, target: string, state: string, timeout = 30_000): Promise<void> {
    await expect(this.edge(source, target)).toHaveAttribute('data-state', state, { timeout });
  }
}
