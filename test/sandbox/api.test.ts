import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vi from '../../locales/vi/sandbox.json' with { type: 'json' };
import { eventually, HUNG, LAN, startTestSandbox, STRANGER, type TestSandbox } from './helpers.js';

interface Entry {
  kind: 'bot' | 'user';
  id: number;
  text?: string;
  contact?: string;
  entities?: { type: string }[];
  buttons?: { text: string; data?: string }[][];
  keyboard?: { rows: { text: string; contact: boolean }[][] };
  edited?: boolean;
  time: string;
  day: string;
}

describe('sandbox API', () => {
  let s: TestSandbox;
  const chat = async (userId: number): Promise<Entry[]> => (await s.get(`/sandbox/api/chats/${userId}`)).body.entries;
  const botMessages = async (userId: number) => (await chat(userId)).filter((e) => e.kind === 'bot');
  /** Sends a text and waits for the bot's answer to it (the first message after it that contains `expected`). */
  const say = async (userId: number, text: string, expected = ''): Promise<Entry> => {
    const res = await s.post(`/sandbox/api/chats/${userId}/text`, { text });
    expect(res.status).toBe(200);
    const sent: number = res.body.messageId;
    return eventually(
      async () => (await botMessages(userId)).find((e) => e.id > sent && e.text?.includes(expected)),
      `an answer to ${text}`,
    );
  };

  beforeAll(async () => {
    s = await startTestSandbox();
  });
  afterAll(() => s?.stop());

  it('serves the page in Vietnamese with every label filled in', async () => {
    const res = await fetch(s.url + '/');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Khôi phục dữ liệu mẫu');
    expect(html).not.toMatch(/__STRINGS__|__LANG__/);
    for (const key of Object.keys(vi.page)) expect(html).not.toContain(`{{${key}}}`);
    expect(html).toContain('"shared_contact":"📱 Đã chia sẻ số điện thoại {{phone}}"');
    const en = await (await fetch(s.url + '/?lang=en')).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Restore demo data');
    expect((await fetch(s.url + '/healthz')).status).toBe(200);
  });

  it('lists the demo people with their roles, and who is linked', async () => {
    const { body } = await s.get('/sandbox/api/state');
    const byId = new Map(body.people.map((p: { userId: number }) => [p.userId, p]));
    expect(byId.get(LAN)).toMatchObject({
      title: 'Bí thư Chi bộ 3',
      name: 'Huỳnh Thị Lan',
      unit: 'Chi bộ 3 (Văn phòng Ban)',
      linked: true,
    });
    expect(byId.get(HUNG)).toMatchObject({ title: 'Bí thư Chi bộ 2', linked: false });
    expect(byId.get(STRANGER)).toMatchObject({ linked: false });
    for (const title of [
      'Văn phòng Đảng ủy Khối',
      'Ban Tuyên giáo',
      'Ủy viên BCH phụ trách',
      'Báo cáo viên',
      'Quản trị hệ thống',
      'Đảng viên Chi bộ 3',
    ]) {
      expect(body.people.map((p: { title: string }) => p.title)).toContain(title);
    }
    expect(body.clock.label).toMatch(/^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(body.clock.shortcuts.map((x: { label: string }) => x.label)).toEqual(
      expect.arrayContaining(['+1 giờ', '+1 ngày', 'Đến 07:00 Thứ Hai tới']),
    );
    expect(body.commands.map((c: { command: string }) => c.command)).toContain('toi');
  });

  it('links an unlinked secretary through /start and the shared phone number', async () => {
    const ask = await say(HUNG, '/start', 'Chia sẻ số điện thoại');
    expect(ask.text).toContain('Chia sẻ số điện thoại');
    expect(ask.keyboard?.rows[0]?.[0]).toMatchObject({ contact: true });
    expect((await s.post(`/sandbox/api/chats/${HUNG}/contact`)).status).toBe(200);
    const linked = await eventually(
      async () => (await botMessages(HUNG)).find((e) => e.text?.includes('Đã liên kết thành công')),
      'the link',
    );
    expect(linked.text).toContain('Đặng Văn Hùng');
    const entries = await chat(HUNG);
    expect(entries.find((e) => e.kind === 'user' && e.contact)).toMatchObject({ contact: '84913222444' });
    expect(entries[0]).toMatchObject({ kind: 'user', text: '/start' });
    const { body } = await s.get('/sandbox/api/state');
    expect(body.people.find((p: { userId: number }) => p.userId === HUNG).linked).toBe(true);

    const toi = await say(HUNG, '/toi', 'Đặng Văn Hùng');
    expect(toi.text).toContain('Chi bộ 2 (Phòng Lý luận chính trị)');
    expect(toi.entities?.some((e) => e.type === 'bold')).toBe(true);
  });

  it('tells a stranger that the number is not on the list', async () => {
    await say(STRANGER, '/start');
    await s.post(`/sandbox/api/chats/${STRANGER}/contact`);
    await eventually(async () => (await botMessages(STRANGER)).some((e) => e.text?.includes('chưa có trong danh sách')), 'the refusal');
  });

  it('presses an inline button and shows the edited message', async () => {
    const choose = await say(LAN, '/ngonngu', 'Chọn ngôn ngữ');
    expect(choose.buttons?.flat().map((b) => b.data)).toEqual(['lang:vi', 'lang:en']);
    expect((await s.post(`/sandbox/api/chats/${LAN}/press`, { messageId: choose.id, data: 'lang:vi' })).status).toBe(200);
    const edited = await eventually(async () => (await botMessages(LAN)).find((e) => e.id === choose.id && e.edited), 'the edit');
    expect(edited.text).toContain('Đã chuyển sang Tiếng Việt');
    expect(edited.buttons).toBeUndefined();
  });

  it('refuses bad input politely in Vietnamese', async () => {
    const unknown = await s.post('/sandbox/api/chats/42/text', { text: '/toi' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'Không có người này trong dữ liệu mẫu.' } });
    expect((await s.post(`/sandbox/api/chats/${LAN}/text`, { text: '   ' })).body.error).toBe('Vui lòng nhập nội dung tin nhắn.');
    expect((await s.post(`/sandbox/api/chats/${LAN}/press`, { messageId: 9999, data: 'x:y' })).body.error).toBe(
      'Nút này không còn dùng được.',
    );
    expect((await s.post('/sandbox/api/clock', { id: 'set', to: 'tomorrow' })).status).toBe(400);
    expect((await s.post('/sandbox/api/clock', { id: 'no-such-moment' })).status).toBe(400);
  });

  it('streams what happens as Server-Sent Events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(s.url + '/sandbox/api/events', { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const seen: { event: string; data: any }[] = [];
    let buf = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) seen.push({ event, data: JSON.parse(data) });
        }
      }
    })();
    await eventually(async () => seen.some((e) => e.event === 'hello'), 'hello');
    await s.post(`/sandbox/api/chats/${LAN}/text`, { text: '/toi' });
    await eventually(
      async () => seen.some((e) => e.event === 'entry' && e.data.chatId === LAN && e.data.entry.kind === 'user'),
      'the sent text',
    );
    await eventually(
      async () =>
        seen.some(
          (e) => e.event === 'entry' && e.data.chatId === LAN && e.data.entry.kind === 'bot' && e.data.entry.text.includes('Huỳnh Thị Lan'),
        ),
      'the answer',
    );
    await s.post('/sandbox/api/clock', { id: 'hour' });
    await eventually(async () => seen.some((e) => e.event === 'clock'), 'the clock');
    ctrl.abort();
    await pump;
  });

  it('moves the clock to next Monday 07:00', async () => {
    const { body } = await s.post('/sandbox/api/clock', { id: 'monday' });
    expect(body.clock.label).toMatch(/^Thứ Hai, \d{2}\/\d{2}\/\d{4} 07:00$/);
    const to = await s.post('/sandbox/api/clock', { id: 'set', to: body.clock.iso.replace('07:00', '07:30') });
    expect(to.body.clock.label).toMatch(/07:30$/);
  });

  it('delivers the demo deadline reminder when the clock reaches it, and records "Đã nộp"', async () => {
    const { body } = await s.get('/sandbox/api/state');
    const remind = body.clock.shortcuts.find((x: { id: string }) => x.id.startsWith('deadline-remind'));
    expect(remind?.label).toMatch(/^Đến 08:00 ngày nhắc hạn \(\d{2}\/12\/\d{4}\)$/);
    const before = (await botMessages(LAN)).length;
    expect((await s.post('/sandbox/api/clock', { id: remind.id })).status).toBe(200);
    const reminder = await eventually(
      async () => (await botMessages(LAN)).slice(before).find((e) => e.buttons?.flat().some((b) => b.data?.startsWith('dl:done:'))),
      'the reminder',
    );
    expect(reminder.time).toBe('08:00');
    const done = reminder.buttons!.flat().find((b) => b.data?.startsWith('dl:done:'))!;
    expect(done.text).toBe('✅ Đã nộp');
    expect((await s.post(`/sandbox/api/chats/${LAN}/press`, { messageId: reminder.id, data: done.data })).status).toBe(200);
    const ok = await eventually(
      async () => (await botMessages(LAN)).find((e) => e.id > reminder.id && e.text?.startsWith('✅ Đã ghi nhận')),
      'the confirmation',
    );
    expect(ok.text).toContain('Chi bộ 3 (Văn phòng Ban)');
    // The deputy secretary of the same chi bộ is told, in their own chat.
    await eventually(async () => (await botMessages(7100004)).some((e) => e.text?.includes('Huỳnh Thị Lan')), "the deputy's notice");
  });

  it('restores the demo data on reset', async () => {
    const res = await s.post('/sandbox/api/reset');
    expect(res.status).toBe(202);
    const state = await eventually(
      async () => {
        const r = await s.get('/sandbox/api/state');
        return r.status === 200 && r.body.generation === 2 ? r.body : undefined;
      },
      'the restart',
      30_000,
    );
    expect(state.people.find((p: { userId: number }) => p.userId === HUNG).linked).toBe(false);
    expect(await chat(HUNG)).toEqual([]);
    // Only the demo deadline's announcement again: the conversation itself is gone.
    expect((await chat(LAN)).filter((e) => e.kind === 'user')).toEqual([]);
    const hello = await say(LAN, '/toi', 'Điện thoại');
    expect(hello.text).toContain('Huỳnh Thị Lan');
  });
});
