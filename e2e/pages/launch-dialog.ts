/** The launch / re-run dialog. */
import { expect, type Locator, type Page } from '@playwright/test';

export class LaunchDialog {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('launch-dialog');
  }

  async showOverrides(): Promise<void> {
    const toggle = this.root.getByRole('button', { name: /Container overrides/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  async setCommand(container: string, command: string): Promise<void> {
    await this.showOverrides();
    await this.root.getByLabel(`Command for ${container}`).fill(command);
  }

  async setEnvironment(container: string, lines: string): Promise<void> {
    await this.showOverrides();
    await this.root.getByLabel(`Environment for ${container}`).fill(lines);
  }

  async setMemory(container: string, mib: string): Promise<void> {
    await this.showOverrides();
    await this.root.getByLabel(`Memory for ${container}`).fill(mib);
  }

  async setCount(n: number): Promise<void> {
    await this.root.getByLabel('Count').fill(String(n));
  }

  async setPull(behavior: string): Promise<void> {
    await this.root.getByLabel('Pull behaviour').selectOption(behavior);
  }

  /** The "pass my own credentials" choice (shown only for a definition with a task role). */
  async setPassOwnCredentials(on: boolean): Promise<void> {
    await this.root.getByLabel('Pass my own credentials').setChecked(on);
  }

  /** The "Enable ECS Exec" checkbox (RunTask enableExecuteCommand). */
  async enableExec(): Promise<void> {
    await this.root.getByTestId('enable-exec').check();
  }

  async launch(): Promise<void> {
    await this.root.getByTestId('launch-submit').click();
    await expect(this.root).toBeHidden();
  }

  error(): Locator {
    return this.root.getByTestId('launch-error');
  }
}
