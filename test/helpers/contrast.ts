// WCAG 2 contrast of every visible text on a page, measured in the page itself (no dependency): the
// text's computed colour against its effective background — the first ancestor's non-transparent
// background colour, semi-transparent ones composited over what is under them, the canvas (white) last.
// AA asks 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt (WCAG
// 1.4.3: inactive user interface components), and so is text hidden from everyone.
import type { Page } from 'playwright-core';

export interface ContrastMeasure {
  /** the element, as `tag#id.class` */
  where: string;
  /** its text, cut to 40 characters */
  text: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

// Page-side code as text: the tests compile without the DOM's types.
const MEASURE = String.raw`(() => {
  const parse = (css) => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) return null;
    const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
    return { r: Number(r), g: Number(g), b: Number(b), a: Number(a) };
  };
  const over = (top, under) => {
    const a = top.a + under.a * (1 - top.a);
    const mix = (t, u) => (t * top.a + u * under.a * (1 - top.a)) / a;
    return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a };
  };
  const luminance = ({ r, g, b }) => {
    const lin = (c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
  };
  const opacity = (element) => {
    let o = 1;
    for (let e = element; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map((c) => '.' + c).join('');
  const rgb = (c) => 'rgb(' + [c.r, c.g, c.b].map((v) => Math.round(v)).join(', ') + ')';
  const measured = [];
  const check = (element, text, colorCss) => {
    const style = getComputedStyle(element);
    const fg0 = parse(colorCss);
    if (!fg0) return;
    const bg = background(element);
    const fg = over({ ...fg0, a: fg0.a * opacity(element) }, bg);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    measured.push({ where: name(element), text: text.trim().slice(0, 40), color: rgb(fg), background: rgb(bg), ratio: Math.round(ratio * 100) / 100, needed });
  };
  const visible = (element) =>
    element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && !element.closest(':disabled, [inert]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim() || seen.has(element) || !visible(element)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    seen.add(element);
    // SVG text is painted with its fill.
    check(element, node.textContent, element instanceof SVGElement ? getComputedStyle(element).fill : getComputedStyle(element).color);
  }
  // What a field shows: its value, or its placeholder while it is empty.
  for (const field of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), textarea, select')) {
    if (!visible(field) || field.getClientRects().length === 0) continue;
    if (field.value) check(field, field.value, getComputedStyle(field).color);
    else if (field.placeholder) check(field, field.placeholder, getComputedStyle(field, '::placeholder').color);
  }
  return measured;
})()`;

/** Every visible text of the page with its colours and ratio, lowest ratio first. */
export async function measureContrast(page: Page): Promise<ContrastMeasure[]> {
  return ((await page.evaluate(MEASURE)) as ContrastMeasure[]).sort((a, b) => a.ratio - b.ratio);
}

/** Every visible text of the page below AA; empty when the page passes. */
export async function contrastFailures(page: Page): Promise<ContrastMeasure[]> {
  return (await measureContrast(page)).filter((m) => m.ratio < m.needed);
}
