// Checks a person would notice on a rendered page: unlabeled fields, text too faint to read, a
// phone screen that scrolls sideways, controls too small to tap, focus that cannot be seen.
import type { Page } from 'playwright-core';

// tsx (esbuild keepNames) wraps named functions in `__name(...)`; functions sent into the page
// need that helper there too. Sent as a string so it is not itself rewritten.
const defineNameHelper = (page: Page) => page.evaluate('globalThis.__name ??= (fn) => fn');

/** Every problem found on the page as it is rendered now, in words; empty when it passes. */
export async function pageProblems(page: Page): Promise<string[]> {
  await defineNameHelper(page);
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };

    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const labelled = (el.labels?.length ?? 0) > 0 || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
      if (!labelled) problems.push(`no label: ${describe(el)} name=${el.name}`);
    }

    if (document.documentElement.scrollWidth > window.innerWidth) {
      problems.push(`scrolls sideways: ${document.documentElement.scrollWidth}px content in a ${window.innerWidth}px window`);
    }

    for (const el of document.querySelectorAll('main button, main input:not([type=hidden]), main a')) {
      if (!visible(el) || el.matches('a')) continue;
      const { height } = el.getBoundingClientRect();
      if (height < 44) problems.push(`too small to tap (${Math.round(height)}px high): ${describe(el)}`);
    }

    // WCAG contrast for every element that holds text of its own.
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const backgroundOf = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const parts = rgb(getComputedStyle(node).backgroundColor);
        if (parts.length === 3 || (parts[3] ?? 0) > 0.9) return parts.slice(0, 3);
      }
      return [255, 255, 255];
    };
    for (const el of document.querySelectorAll('body *')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!ownText || !visible(el)) continue;
      const style = getComputedStyle(el);
      const fg = luminance(rgb(style.color));
      const bg = luminance(backgroundOf(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}:1: ${describe(el)}`);
    }
    return problems;
  });
}

/** Tabs through the page and reports each focused control whose focus has no visible outline. */
export async function invisibleFocus(page: Page, stops = 8): Promise<string[]> {
  const problems: string[] = [];
  await defineNameHelper(page);
  await page.locator('body').focus();
  for (let i = 0; i < stops; i += 1) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return undefined;
      const style = getComputedStyle(el);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const ringed = style.boxShadow !== 'none';
      return outlined || ringed ? '' : `<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    });
    if (found === undefined) break;
    if (found !== '') problems.push(`focus not visible on ${found}`);
  }
  return problems;
}
