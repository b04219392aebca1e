// What the console's browser tests check on every page: axe-core (no serious or critical
// violation), the page checks a person would notice (labels, contrast, fit, focus), nothing broken
// or blocked by the CSP, and full-page screenshots at 375 and 1440 px in test-results/console/.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { invisibleFocus, pageProblems } from '../e2e/page-checks.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = new URL('../../test-results/console/', import.meta.url);
export const WIDTHS = [375, 1440] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations, in words. The pages' CSP refuses inline scripts,
 * so axe is evaluated through the DevTools protocol (which the CSP does not govern) rather than
 * added as a <script> tag.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * The shared page checks. Checkboxes and radios are 24 px squares (WCAG 2.5.8's minimum target,
 * with their labels clickable beside them), so the 44 px tap rule does not apply to them.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  const small = await page.evaluate(() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')].map((el) => `<input#${el.id}>`));
  return (await pageProblems(page)).filter((problem) => !(problem.startsWith('too small to tap') && small.some((tag) => problem.includes(tag))));
}

/** Collects what goes wrong while a page is used: script errors, CSP refusals, failed loads, foreign requests. */
export function watch(page: Page, origin: string): string[] {
  const trouble: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) trouble.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => trouble.push(`script error: ${error.message}`));
  page.on('response', (response) => {
    const request = response.request();
    const isPart = request.resourceType() !== 'document' && !request.url().endsWith('/favicon.ico');
    if (isPart && response.status() >= 400) trouble.push(`failed to load: ${request.url()} (${response.status()})`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.origin !== 'http://localhost:4597') trouble.push(`loads from elsewhere: ${request.url()}`);
  });
  return trouble;
}

/** Full-page screenshots at both widths, for people to look at (test-results/ is gitignored). */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
    await page.screenshot({ path: fileURLToPath(new URL(`${name}-${width}.png`, SCREENSHOTS)), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Every check at both widths, keyboard focus once, then the screenshots; returns the problems found. */
export async function inspect(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    problems.push(...(await layoutProblems(page)).map((p) => `${name} @${width}px: ${p}`));
    problems.push(...(await axeViolations(page)).map((p) => `${name} @${width}px axe: ${p}`));
  }
  if (original) await page.setViewportSize(original);
  problems.push(...(await invisibleFocus(page, 12)).map((p) => `${name}: ${p}`));
  await screenshots(page, name);
  return problems;
}
