/** The Services screens: list, create dialog, and one service's detail with its tabs. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ServicesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Services/ })
      .click();
    await expect(this.page.getByTestId('services-page')).toBeVisible();
  }

  row(serviceName: string): Locator {
    return this.page.locator(`[data-testid="service-row"][data-service="${serviceName}"]`);
  }

  get dialog(): Locator {
    return this.page.getByTestId('create-service-dialog');
  }

  async openCreate(): Promise<Locator> {
    await this.page.getByTestId('create-service').first().click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }

  async fillCreate(texts: { service: string; targetGroup: string; delaySeconds?: number }): Promise<void> {
    await this.dialog.getByLabel('Service JSON').fill(texts.service);
    await this.dialog.getByLabel('Target group 1 JSON').fill(texts.targetGroup);
    if (texts.delaySeconds !== undefined)
      await this.dialog.getByTestId('service-delay').fill(String(texts.delaySeconds));
  }

  async submitCreate(): Promise<void> {
    await this.dialog.getByTestId('create-service-submit').click();
  }

  /** Issues listed under the service editor (paths relative to the service document). */
  dialogIssues(): Locator {
    return this.dialog.getByTestId('issue-error');
  }

  // ---- detail ----
  get detail(): Locator {
    return this.page.getByTestId('service-detail');
  }

  count(kind: 'desired' | 'running' | 'pending'): Locator {
    return this.detail.getByTestId('service-counts').locator(`[data-count="${kind}"]`);
  }

  get waiting(): Locator {
    return this.detail.getByTestId('service-waiting');
  }

  deployments(status?: 'PRIMARY' | 'ACTIVE'): Locator {
    const rows = this.detail.getByTestId('deployment-row');
    return status ? this.detail.locator(`[data-testid="deployment-row"][data-status="${status}"]`) : rows;
  }

  async tab(name: 'Deployments' | 'Target groups' | 'Events'): Promise<void> {
    await this.detail.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  }

  targets(state?: string): Locator {
    return state
      ? this.detail.locator(`[data-testid="target-row"][data-state="${state}"]`)
      : this.detail.getByTestId('target-row');
  }

  async scale(desired: number): Promise<void> {
    await this.detail.getByTestId('desired-count').fill(String(desired));
    await this.detail.getByTestId('scale-apply').click();
    await expect(this.count('desired')).toHaveText(String(desired));
  }

  async updateToRevision(revision: number): Promise<void> {
    const select = this.detail.getByTestId('revision-select');
    await expect(select.locator('option', { hasText: `:${revision}` })).toHaveCount(1);
    await select.selectOption({ label: `e2e-svc-web:${revision}` });
    await this.detail.getByTestId('update-revision').click();
  }

  async delete(): Promise<void> {
    await this.detail.getByTestId('delete-service').click();
    await this.detail.getByTestId('delete-service-confirm').click();
  }
}
