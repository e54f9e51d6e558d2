/** The ECS Exec panel of a task: Exec buttons, session tabs, and the live terminals. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ExecPanel {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('exec-panel');
  }

  /** Clicks the Exec button of a container row. */
  async open(container: string): Promise<void> {
    await this.page.getByTestId(`exec-${container}`).click();
  }

  /** The visible session's terminal screen (xterm's rows). */
  screen(): Locator {
    return this.root.locator('[data-testid="exec-pane"]:not([hidden]) .xterm-rows');
  }

  tab(index: number): Locator {
    return this.root.getByTestId(`exec-tab-${index}`);
  }

  /** Types a line into the visible terminal. */
  async run(line: string): Promise<void> {
    await this.root.locator('[data-testid="exec-pane"]:not([hidden]) .xterm').click();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** Waits for the shell prompt of a fresh session. */
  async expectPrompt(): Promise<void> {
    await expect(this.screen()).toContainText('#', { timeout: 60_000 });
  }

  /** Runs `echo MARK=$(stty size)` and returns [rows, cols] as the shell sees them. */
  async sttySize(mark: string): Promise<[number, number]> {
    await this.run(`echo ${mark}=$(stty size)`);
    const re = new RegExp(`${mark}=(\\d+) (\\d+)`);
    await expect(this.screen()).toContainText(re, { timeout: 60_000 });
    const text = (await this.screen().textContent()) ?? '';
    const m = text.replace(/\u00a0/g, ' ').match(re);
    return [Number(m?.[1]), Number(m?.[2])];
  }
}
