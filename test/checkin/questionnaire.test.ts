import { describe, expect, it } from 'vitest';
import { formatAnswer, parseButtonAnswer, parseTextAnswer } from '../../src/domain/checkin/answers.js';
import { loadDefaultQuestionnaire, parseQuestionnaire, type Question } from '../../src/domain/checkin/questionnaire.js';
import { DateTime } from 'luxon';
import { summaryMessage } from '../../commands/checkin/render.js';
import { t } from '../../src/i18n.js';

const qn = loadDefaultQuestionnaire();
const q = (id: string): Question => qn.questions.find((x) => x.id === id)!;
const vi = t('vi');
/** The Vietnamese message a refused answer gets. */
const refusal = (question: Question, input: string): string => {
  const res = parseTextAnswer(question, input);
  if (res.ok) throw new Error(`accepted ${JSON.stringify(input)} as ${JSON.stringify(res.value)}`);
  return vi(`checkin:invalid.${res.error.key}`, res.error.params);
};
const accepted = (question: Question, input: string) => {
  const res = parseTextAnswer(question, input);
  if (!res.ok) throw new Error(`refused ${JSON.stringify(input)}: ${res.error.key}`);
  return res.value;
};

const yesno: Question = { id: 'has_plan', type: 'yesno', required: true, text: { vi: 'Có kế hoạch?', en: 'Plan?' } };
const short: Question = { id: 'secretary', type: 'short_text', required: true, maxLength: 50, text: { vi: 'Tên', en: 'Name' } };

describe('the default quarterly questionnaire', () => {
  it('has the questions of the issue, with types, limits and both languages', () => {
    expect(qn).toMatchObject({ id: 'quarterly', version: 1 });
    expect(qn.questions.map((x) => `${x.id}:${x.type}`)).toEqual([
      'members_end:integer',
      'regular_meetings:integer',
      'thematic_meetings:integer',
      'attendance:percent',
      'admitted:integer',
      'transferred_in:integer',
      'transferred_out:integer',
      'discipline:integer',
      'ideology:choice',
      'ideology_notes:long_text',
      'proposals:long_text',
    ]);
    expect(q('members_end')).toMatchObject({ min: 0, max: 500, required: true });
    expect(q('proposals').required).toBe(false);
    for (const x of qn.questions) expect(x.text.vi && x.text.en).toBeTruthy();
  });
});

describe('questionnaire files', () => {
  it('reads JSON as well as YAML', () => {
    const res = parseQuestionnaire(JSON.stringify({ id: 'mini', version: 2, title: { vi: 'Nhỏ', en: 'Mini' }, questions: [yesno] }));
    expect(res.ok && res.questionnaire.questions[0]!.type).toBe('yesno');
  });

  it('lists every problem with its place, in Vietnamese', () => {
    const res = parseQuestionnaire(`
id: Bad Id
version: 0
title: { vi: Tiêu đề }
questions:
  - { id: a, type: integer, min: 5, max: 1, text: { vi: A, en: A } }
  - { id: a, type: rating, text: { vi: B, en: B } }
  - { id: c, type: choice, options: [{ id: x, text: { vi: X, en: X } }], text: { vi: C, en: C } }
  - { id: d, type: yesno, colour: red, text: { vi: D, en: D } }
`);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const lines = res.issues.map((i) => `${i.path}: ${vi(`checkin:questionnaire.${i.key}`, i.params)}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: không đúng định dạng/),
        'version: phải lớn hơn hoặc bằng 1',
        'title.en: thiếu trường bắt buộc',
        expect.stringMatching(/^questions\[1\]\.type: loại câu hỏi không hợp lệ; dùng một trong: integer, percent, yesno, choice/),
        'questions[2].options: cần ít nhất 2 mục',
        'questions[3]: có trường không được hỗ trợ: colour',
      ]),
    );
  });

  it('refuses duplicate ids and min above max once the shape is right', () => {
    const res = parseQuestionnaire(`
id: dup
version: 1
title: { vi: T, en: T }
questions:
  - { id: a, type: integer, min: 5, max: 1, text: { vi: A, en: A } }
  - { id: a, type: percent, text: { vi: B, en: B } }
`);
    expect(res.ok ? [] : res.issues.map((i) => `${i.path} ${i.key}`)).toEqual([
      'questions[0].max min_above_max',
      'questions[1].id duplicate_id',
    ]);
  });

  it('reports YAML syntax errors', () => {
    const res = parseQuestionnaire('id: [unclosed');
    expect(res.ok ? null : res.issues[0]!.key).toBe('syntax');
  });
});

describe('answers', () => {
  it('takes whole numbers within the limits', () => {
    expect(accepted(q('members_end'), ' 25 ')).toBe(25);
    expect(accepted(q('members_end'), '0')).toBe(0);
    expect(accepted(q('members_end'), '500')).toBe(500);
    expect(refusal(q('members_end'), 'hai mươi lăm')).toBe('«hai mươi lăm» không phải là số. Vui lòng nhập số nguyên từ 0 đến 500.');
    expect(refusal(q('members_end'), '501')).toBe('Số 501 nằm ngoài giới hạn. Vui lòng nhập số nguyên từ 0 đến 500.');
    expect(refusal(q('members_end'), '-3')).toContain('Vui lòng nhập số nguyên từ 0 đến 500');
    expect(refusal(q('members_end'), '12,5')).toContain('không có phần thập phân');
    expect(refusal(q('members_end'), '👍')).toContain('«👍» không phải là số');
    expect(refusal(q('members_end'), '9'.repeat(10_000))).toContain('không phải là số'); // quoted shortened
    expect(refusal(q('members_end'), '9'.repeat(10_000)).length).toBeLessThan(120);
  });

  it('takes percentages with a comma or a point, with or without %', () => {
    expect(accepted(q('attendance'), '92,5')).toBe(92.5);
    expect(accepted(q('attendance'), '88 %')).toBe(88);
    expect(accepted(q('attendance'), '100')).toBe(100);
    expect(refusal(q('attendance'), '120')).toBe('Tỷ lệ 120% không hợp lệ. Vui lòng nhập số từ 0 đến 100.');
    expect(refusal(q('attendance'), 'khoảng 90')).toContain('không phải là tỷ lệ phần trăm');
    expect(formatAnswer(q('attendance'), 92.5, 'vi')).toBe('92,5%');
  });

  it('takes yes/no typed with or without diacritics, and its buttons', () => {
    expect(accepted(yesno, 'Có')).toBe(true);
    expect(accepted(yesno, 'khong')).toBe(false);
    expect(refusal(yesno, 'có lẽ')).toBe('Vui lòng bấm «Có» hoặc «Không» (hoặc gõ «có» / «không»).');
    expect(parseButtonAnswer(yesno, 'y')).toEqual({ ok: true, value: true });
    expect(parseButtonAnswer(yesno, 'maybe').ok).toBe(false);
  });

  it('takes a choice by button, by number or by its text', () => {
    expect(parseButtonAnswer(q('ideology'), '1')).toEqual({ ok: true, value: 'mostly' });
    expect(parseButtonAnswer(q('ideology'), '7').ok).toBe(false);
    expect(accepted(q('ideology'), '3')).toBe('concern');
    expect(accepted(q('ideology'), 'on dinh')).toBe('stable');
    expect(refusal(q('ideology'), 'tốt')).toContain('gõ số thứ tự từ 1 đến 3');
    expect(formatAnswer(q('ideology'), 'mostly', 'vi')).toBe('Cơ bản ổn định');
  });

  it('takes texts up to their limit, with letters or digits', () => {
    expect(accepted(q('proposals'), '  Đề nghị tổ chức lớp bồi dưỡng 🙏  ')).toBe('Đề nghị tổ chức lớp bồi dưỡng 🙏');
    expect(refusal(q('proposals'), 'x'.repeat(10_000))).toBe(
      'Câu trả lời dài 10000 ký tự, vượt quá giới hạn 2000 ký tự. Vui lòng rút gọn rồi gửi lại.',
    );
    expect(refusal(q('proposals'), '👍👍')).toContain('biểu tượng cảm xúc');
    expect(accepted(short, 'Võ Thị\nHạnh')).toBe('Võ Thị Hạnh');
    expect(refusal(short, 'a'.repeat(51))).toContain('giới hạn 50 ký tự');
  });
});

describe('the summary of a long questionnaire', () => {
  it('fits in one Telegram message', () => {
    const long = 'Tình hình thực hiện Nghị quyết của chi bộ về công tác xây dựng Đảng trong quý '.repeat(7).slice(0, 590);
    const questions = Array.from({ length: 30 }, (_, i): Question => ({
      id: `q${i}`,
      type: 'long_text',
      required: true,
      maxLength: 3000,
      text: { vi: long, en: long },
    }));
    const now = DateTime.fromISO('2026-12-28T09:00', { zone: 'Asia/Ho_Chi_Minh' });
    const msg = summaryMessage(
      { t: vi, locale: 'vi' },
      {
        campaign: {
          id: 1,
          period: '2026-Q4',
          questionnaire: { id: 'long', version: 1, title: { vi: 'Dài', en: 'Long' }, questions },
          responderRoles: ['bi_thu'],
          opensAt: now,
          closesAt: now.plus({ days: 9 }),
          deadlineId: null,
        },
        report: {
          id: 1,
          campaignId: 1,
          unit: { id: 1, code: 'CB1', name: 'Chi bộ 1' },
          rev: 30,
          sentRev: null,
          version: 0,
          answers: Object.fromEntries(questions.map((q) => [q.id, 'x'.repeat(3000)])),
          updatedBy: null,
          updatedAt: now,
          sentBy: null,
          sentAt: null,
        },
      },
      now,
    );
    expect(msg.text.length).toBeLessThan(4096);
    expect(msg.text).toContain('30. ');
  });
});
