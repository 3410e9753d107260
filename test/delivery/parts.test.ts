import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from '../../src/channels/capabilities.js';
import { telegramCapabilities } from '../../src/channels/telegram/capabilities.js';
import { htmlToPlain } from '../../src/core/html.js';
import { visibleLength } from '../../src/core/split.js';
import { partKey, partsFor } from '../../src/delivery/parts.js';
import { parseHtml } from '../../src/emulator/html.js';

/** A channel like Zalo's: 2000 characters of plain text, no buttons (they become numbered lines). */
const plain2000: ChannelCapabilities = {
  ...telegramCapabilities,
  maxTextLength: 2000,
  buttons: false,
  edits: false,
  popups: false,
  contactSharing: false,
  html: false,
};

const seen = (html: string) => parseHtml(html, { strictAmpersand: true }).text;

/** A notice with formatting, links and entities: 90 lines are over 5,000 visible characters. */
const noticeOf = (lines: number) =>
  Array.from(
    { length: lines },
    (_, i) =>
      `<b>${i + 1}.</b> Chi bộ &amp; <a href="https://example.org/vb/${i}">văn bản ${i}</a> — <i>đề nghị báo cáo trước ngày 30/12</i>`,
  ).join('\n');
const notice = noticeOf(90);
const button = [[{ text: '✅ Đã nhận', data: 'bc:rcv:1' }]];

describe("a message as the parts its chat's channel takes", () => {
  it('leaves a message that fits alone', () => {
    const msg = { text: 'Ngắn', buttons: button };
    expect(partsFor(plain2000, msg)).toEqual([msg]);
    const three = noticeOf(30); // longer than 2000, within Telegram's 4096
    expect(three.length).toBeLessThan(4096);
    expect(partsFor(telegramCapabilities, { text: three, buttons: button })).toEqual([{ text: three, buttons: button }]);
    expect(partsFor(plain2000, { text: three }).length).toBe(2);
  });

  it('splits at the channel’s own limit, in order, the button on the last part with room for its numbered line', () => {
    expect(visibleLength(notice)).toBeGreaterThan(5000);
    const parts = partsFor(plain2000, { text: notice, buttons: button, noPreview: true });
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((p, i) => {
      expect(htmlToPlain(p.text).length).toBeLessThanOrEqual(2000);
      expect(p.text.endsWith(`(${i + 1}/${parts.length})</i>`)).toBe(true);
      expect(p.noPreview).toBe(true);
      expect(!!p.buttons).toBe(i === parts.length - 1);
    });
    const last = parts.at(-1)!;
    expect(htmlToPlain(last.text).length + '\n\n1 — ✅ Đã nhận'.length).toBeLessThanOrEqual(2000);
    const strip = (t: string) =>
      seen(t)
        .replace(/\(\d+\/\d+\)$/, '')
        .replace(/\s+/g, '');
    expect(parts.map((p) => strip(p.text)).join('')).toBe(seen(notice).replace(/\s+/g, ''));
  });

  it('keeps the message’s own dedupe key on the last part', () => {
    expect([0, 1, 2].map((i) => partKey('deadline:4:unit:7', i, 3))).toEqual([
      'deadline:4:unit:7:p1',
      'deadline:4:unit:7:p2',
      'deadline:4:unit:7',
    ]);
  });
});
