import { describe, expect, it } from 'vitest';
import { queryForButton } from '../../commands/docs/search.js';
import { escapeHtml } from '../../src/core/html.js';
import { composeBroadcast } from '../../src/domain/broadcasts/compose.js';
import { MESSAGE_BUDGET, packBlocks, splitPlain } from '../../src/domain/broadcasts/split.js';
import { searchTerms } from '../../src/domain/docs/search.js';
import { t } from '../../src/i18n.js';

describe('splitting and composing notices', () => {
  it('cuts plain text at paragraph, line or word boundaries within the escaped budget', () => {
    const para = 'Nội dung & <chú thích> tuyên truyền. '.repeat(40).trim();
    const text = Array.from({ length: 10 }, () => para).join('\n\n');
    const pieces = splitPlain(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(escapeHtml(p).length).toBeLessThanOrEqual(3000);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    // Paragraphs are kept whole when they fit.
    expect(pieces.every((p) => p.endsWith('tuyên truyền.'))).toBe(true);

    // No boundary at all: hard cuts, never inside a surrogate pair.
    const emoji = '📢'.repeat(3000);
    const cut = splitPlain(emoji, 1001);
    for (const p of cut) expect(p.length % 2).toBe(0);
    expect(cut.join('')).toBe(emoji);
    expect(splitPlain('  ngắn  ', 100)).toEqual(['ngắn']);
    expect(splitPlain('', 100)).toEqual([]);
  });

  it('packs blocks into messages and spreads an oversized block over lines', () => {
    expect(packBlocks(['a', 'b', 'c'], 10)).toEqual(['a\n\nb\n\nc']);
    expect(packBlocks(['aaaa', 'bbbb', 'cccc'], 10)).toEqual(['aaaa\n\nbbbb', 'cccc']);
    expect(packBlocks(['l1\nl2\nl3'], 5)).toEqual(['l1\nl2', 'l3']);
  });

  it("composes in the recipient's language, the button on the last part", () => {
    const [vi] = composeBroadcast(t('vi'), { text: 'A < B & C', doc: null, ack: true, sender: null }, 'bc:rcv:1');
    expect(vi).toEqual({
      text: '📢 <b>THÔNG BÁO</b>\n\nA &lt; B &amp; C\n\n👉 Đề nghị đồng chí bấm «Đã nhận» để xác nhận đã nhận thông báo.',
      buttons: [[{ text: '✅ Đã nhận', data: 'bc:rcv:1' }]],
    });
    const [en] = composeBroadcast(
      t('en'),
      { text: 'Xin chào', doc: null, ack: false, sender: { name: 'Lê Minh Châu', unit: '' } },
      'bc:rcv:1',
    );
    expect(en).toEqual({ text: '📢 <b>NOTICE</b>\n<i>From: Lê Minh Châu</i>\n\nXin chào' });
    const parts = composeBroadcast(t('vi'), { text: 'x '.repeat(6000), doc: null, ack: true, sender: null }, 'bc:rcv:9');
    expect(parts.length).toBe(4);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(MESSAGE_BUDGET + 20);
    expect(parts.map((p) => !!p.buttons)).toEqual([false, false, false, true]);
  });

  it('keeps search buttons within 64 bytes', () => {
    const long = 'Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 khóa XI mở rộng';
    const q = queryForButton(long, 'doc:p:9999:');
    expect(Buffer.byteLength(`doc:p:9999:${q}`)).toBeLessThanOrEqual(64);
    expect(long.length).toBeGreaterThan(64);
    expect(searchTerms(long).join(' ').startsWith(q)).toBe(true);
    expect(searchTerms('  Số 3080-CV/BTGTU, (khóa XI)!  ')).toEqual(['so', '3080-cv/btgtu', 'khoa', 'xi']);
  });
});
