import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'rythm-demo';
export const SYSADMIN = 'sysadmin@rythm.example';
export const NORTHSIDE_ADMIN = 'admin@northside.example';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto('/login');
    await this.page.getByTestId('login-email').fill(email);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
    await expect(this.page).not.toHaveURL(/\/login/);
  }
}
