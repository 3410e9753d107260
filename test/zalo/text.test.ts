import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fitZaloText, htmlToZaloText, zaloText } from '../../src/channels/zalo/text.js';
import { noticeMessage, reportedMessage } from '../../src/domain/deadlines/render.js';
import { docDetail } from '../../src/domain/docs/render.js';
import { t } from '../../src/i18n.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const tagOrEntity = /<\/?(?:b|i|u|s|a|code|pre|blockquote)\b[^>]*>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i;

describe('htmlToZaloText on the bot’s own messages', () => {
  const now = DateTime.fromISO('2026-12-01T08:00', { zone: ZONE });
  const deadline = {
    id: 7,
    kind: 'deadline',
    title: 'Báo cáo sơ kết <Quý IV> & phương hướng 2027',
    dueAt: DateTime.fromISO('2026-12-10T17:00', { zone: ZONE }),
    docNumber: '3080-CV/BTGTU',
    link: 'https://dichvucong.vn/bao-cao?dot=4&nam=2026',
  };
  const unit = { id: 3, code: 'CB-01', name: 'Chi bộ Phòng Tổ chức & Hành chính' };

  it('the deadline announcement: no tags, entities decoded, the link readable, every line kept', () => {
    const html = noticeMessage('new', 'vi', deadline, unit, now).text;
    expect(html).toMatch(/<b>|<a href|&amp;/); // the real thing is HTML
    const plain = htmlToZaloText(html);
    expect(plain).not.toMatch(tagOrEntity);
    expect(plain.split('\n')).toEqual([
      '📌 Hạn báo cáo mới',
      'Báo cáo sơ kết <Quý IV> & phương hướng 2027',
      'Đơn vị: Chi bộ Phòng Tổ chức & Hành chính (CB-01)',
      expect.stringMatching(/^Hạn: trước 17:00 .*10\/12\/2026 \(còn 9 ngày\)$/),
      'Văn bản: 3080-CV/BTGTU',
      'Tài liệu: https://dichvucong.vn/bao-cao?dot=4&nam=2026',
      '',
      expect.stringMatching(/^Đề nghị đồng chí chỉ đạo đơn vị báo cáo đúng hạn\./),
    ]);
  });

  it('a report confirmation with a note that is a link', () => {
    const at = DateTime.fromISO('2026-12-02T09:15', { zone: ZONE });
    const html = reportedMessage('vi', deadline, unit, { at, by: 'Trần Văn Bình', note: 'https://drive.example/file?id=1&x=2' }).text;
    const plain = htmlToZaloText(html);
    expect(plain).not.toMatch(tagOrEntity);
    expect(plain).toContain('Chi bộ Phòng Tổ chức & Hành chính (CB-01) đã nộp lúc 09:15 02/12/2026 (đồng chí Trần Văn Bình ghi nhận).');
    expect(plain).toContain('Ghi chú: https://drive.example/file?id=1&x=2');
  });

  it('a document whose long link is shown cut short gets the full link', () => {
    const longUrl = `https://tailieu.example.vn/van-ban/${'a'.repeat(150)}?tai=1&amp=2`;
    const html = docDetail(t('vi'), {
      id: 1,
      title: 'Hướng dẫn "học tập" & làm theo',
      number: '12-HD/TU',
      issuer: 'Ban Tuyên giáo',
      issuedOn: new Date('2026-07-10T00:00:00Z'),
      category: 'Hướng dẫn',
      urls: [longUrl, 'https://ngan.vn'],
      summary: 'Tóm tắt: a < b > c',
      tags: ['học tập'],
      units: [],
    });
    const plain = htmlToZaloText(html);
    expect(plain).not.toMatch(tagOrEntity);
    expect(plain).toContain('📄 Hướng dẫn "học tập" & làm theo');
    expect(plain).toContain('Tóm tắt: a < b > c');
    expect(plain).toContain(`🔗 ${longUrl}`);
    expect(plain).toContain('🔗 https://ngan.vn');
    expect(plain).not.toContain('…');
  });

  it('i18n strings with escaped placeholders and <code>', () => {
    // The value is escaped by t() (&lt;số&gt;) inside <code>: both come out as plain text.
    expect(htmlToZaloText(t('vi')('deadlines:tiendo.hint', { id: '<số>' }))).toBe(
      'Muốn xem đầy đủ một hạn, đồng chí gõ /tiendo kèm số của hạn đó, ví dụ /tiendo <số>.',
    );
    expect(htmlToZaloText(t('vi')('schedule:add.ask_time'))).toBe('Giờ bắt đầu, và giờ kết thúc nếu có? (ví dụ 08:00 hoặc 08:00-10:30)');
  });
});

describe('htmlToZaloText, the whole subset', () => {
  it('links: "text (url)", the url alone when the text is the url, the text alone for tg:// links', () => {
    expect(htmlToZaloText('Xem <a href="https://a.vn/x?y=1&amp;z=2">văn bản</a>.')).toBe('Xem văn bản (https://a.vn/x?y=1&z=2).');
    expect(htmlToZaloText('<a href="https://a.vn">https://a.vn</a>')).toBe('https://a.vn');
    expect(htmlToZaloText("<a href='https://a.vn/b'><b>Mở</b></a>")).toBe('Mở (https://a.vn/b)');
    expect(htmlToZaloText('<a href="tg://user?id=1">Lan</a>')).toBe('Lan');
    expect(htmlToZaloText('<a href="mailto:vp@a.vn">vp@a.vn</a>')).toBe('vp@a.vn');
  });

  it('formatting tags vanish, pre and blockquote keep their lines', () => {
    expect(htmlToZaloText('<b>Đậm</b> <i>nghiêng</i> <u>gạch</u> <s>xóa</s> <code>mã</code> <tg-spoiler>ẩn</tg-spoiler>')).toBe(
      'Đậm nghiêng gạch xóa mã ẩn',
    );
    expect(htmlToZaloText('Lệnh:<pre>npm run cli -- invite\n--all</pre>Xong.')).toBe('Lệnh:\nnpm run cli -- invite\n--all\nXong.');
    expect(htmlToZaloText('Trích:\n<blockquote>Dòng một\nDòng hai</blockquote>\nHết')).toBe('Trích:\n│ Dòng một\n│ Dòng hai\nHết');
  });

  it('entities are decoded once; a literal "<" that is no tag stays', () => {
    expect(htmlToZaloText('&lt;b&gt; &amp;amp; &quot;x&quot; &#39;y&#39; &#x1F4CC;')).toBe('<b> &amp; "x" \'y\' 📌');
    expect(htmlToZaloText('3 < 5 và 5 > 3')).toBe('3 < 5 và 5 > 3');
    expect(htmlToZaloText('https://a.vn/?x=1&notify=1&copy=2')).toBe('https://a.vn/?x=1&notify=1&copy=2');
    expect(htmlToZaloText('  \n<b>Tiêu đề</b>\n\nThân  \n')).toBe('Tiêu đề\n\nThân');
  });
});

describe('fitZaloText', () => {
  it('keeps a text that fits, cuts a longer one at a line and marks it', () => {
    const fits = 'x'.repeat(2000);
    expect(fitZaloText(fits)).toBe(fits);
    const lines = Array.from({ length: 300 }, (_, i) => `Dòng số ${i}`).join('\n');
    const cut = fitZaloText(lines);
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut.endsWith('\n…')).toBe(true);
    expect(lines.startsWith(cut.slice(0, -2))).toBe(true);
    expect(fitZaloText('😀'.repeat(1500)).length).toBeLessThanOrEqual(2000);
    expect(fitZaloText('😀'.repeat(1500)).at(-2)).not.toMatch(/[\uD800-\uDBFF]/);
    expect(zaloText({ text: `<b>${'ạ'.repeat(2100)}</b>` }).length).toBe(2000);
  });
});
