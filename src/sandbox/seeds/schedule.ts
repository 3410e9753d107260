import type { DateTime } from 'luxon';
import { formatDate, parseTime } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import { importSchedule } from '../../domain/schedule/import.js';
import type { Moment } from '../clockPanel.js';
import { demoPersonId, DemoSeedError } from '../demo.js';

interface DemoItem {
  /** Days after this week's Monday (7 = next Monday). */
  day: number;
  start: string;
  end: string;
  content: string;
  place: string;
  chair: string;
  participants: string;
  participant_units?: string;
}

const CHI_BO_BTG = 'CB1-BTG; CB2-BTG; CB3-BTG';

/** The standing committee's work schedule of this week and the next, in the words of seeds 000 and 004. */
const ITEMS: DemoItem[] = [
  {
    day: 0,
    start: '07:30',
    end: '09:00',
    content: 'Giao ban Thường trực Đảng ủy Khối',
    place: 'Phòng họp Thường trực',
    chair: 'Đồng chí Bí thư Đảng ủy Khối',
    participants: 'Thường trực Đảng ủy Khối; Trần Thị Bình',
  },
  {
    day: 1,
    start: '14:00',
    end: '16:30',
    content:
      'Làm việc với Đảng bộ cơ quan Ban Tuyên giáo Thành ủy về xây dựng kế hoạch cụ thể hóa Chương trình hành động thực hiện Nghị quyết Đại hội',
    place: 'Hội trường Ban Tuyên giáo Thành ủy',
    chair: 'Đồng chí Phó Bí thư Thường trực Đảng ủy Khối',
    participants: 'Phạm Quốc Dũng; Ban Thường vụ Đảng ủy cơ sở',
    participant_units: 'DB-BTG',
  },
  {
    day: 2,
    start: '08:00',
    end: '11:00',
    content: 'Hội nghị quán triệt Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)',
    place: 'Hội trường Đảng ủy Khối',
    chair: 'Lê Minh Châu',
    participants: 'Nguyễn Trung Châu Tuyên; bí thư các chi bộ trực thuộc',
    participant_units: CHI_BO_BTG,
  },
  {
    day: 3,
    start: '14:00',
    end: '16:00',
    content: 'Dự sinh hoạt chi bộ chuyên đề tại Chi bộ 3 (Văn phòng Ban)',
    place: 'Phòng họp Văn phòng Ban Tuyên giáo',
    chair: 'Phạm Quốc Dũng',
    participants: 'Đảng viên Chi bộ 3',
    participant_units: 'CB3-BTG',
  },
  {
    day: 4,
    start: '08:00',
    end: '10:00',
    content: 'Kiểm tra, đôn đốc tiến độ báo cáo của các chi bộ trực thuộc',
    place: 'Văn phòng Đảng ủy Khối',
    chair: 'Trần Thị Bình',
    participants: 'Văn phòng Đảng ủy Khối; Phạm Quốc Dũng',
  },
  {
    day: 7,
    start: '08:00',
    end: '11:30',
    content: 'Họp Ban Thường vụ Đảng ủy Khối',
    place: 'Phòng họp lầu 2',
    chair: 'Đồng chí Bí thư Đảng ủy Khối',
    participants: 'Ủy viên Ban Thường vụ Đảng ủy Khối; Phạm Quốc Dũng',
  },
  {
    day: 9,
    start: '14:00',
    end: '16:00',
    content: 'Sinh hoạt chi bộ định kỳ: quán triệt kế hoạch thực hiện Nghị quyết Đại hội',
    place: 'Phòng họp Văn phòng Ban Tuyên giáo',
    chair: 'Huỳnh Thị Lan',
    participants: 'Đảng viên Chi bộ 3',
    participant_units: 'CB3-BTG',
  },
  {
    day: 11,
    start: '09:00',
    end: '11:00',
    content: 'Sơ kết công tác tuyên giáo và báo cáo viên',
    place: 'Hội trường Đảng ủy Khối',
    chair: 'Lê Minh Châu',
    participants: 'Nguyễn Trung Châu Tuyên; bí thư các chi bộ',
    participant_units: CHI_BO_BTG,
  },
];

/** This week's and next week's schedule, published by the office; the evening-before reminders as clock moments. */
export async function seedSchedule(svc: Services): Promise<Moment[]> {
  const now = svc.clock.now();
  const monday = now.startOf('week');
  const rows: TableRow[] = ITEMS.map((it, i) => ({
    line: i + 2,
    values: {
      date: formatDate(monday.plus({ days: it.day })),
      start: it.start,
      end: it.end,
      content: it.content,
      place: it.place,
      chair: it.chair,
      participants: it.participants,
      participant_units: it.participant_units ?? '',
      unit_code: 'DBK',
      ref: `demo-${i + 1}`,
      status: '',
    },
  }));
  const res = await importSchedule(svc, rows, { id: await demoPersonId(svc.db, 'van_phong'), name: 'sandbox' });
  if (!res.ok) throw new DemoSeedError(`demo schedule rejected: ${JSON.stringify(res.errors)}`);
  return eveningsBefore(now, monday, svc.config.SCHEDULE_REMIND_AT);
}

/** For each item of Chi bộ 3, the evening before it, when its participants are reminded. */
function eveningsBefore(now: DateTime, monday: DateTime, remindAt: string): Moment[] {
  const at = parseTime(remindAt) ?? { hour: 17, minute: 0 };
  return ITEMS.filter((it) => it.participant_units?.includes('CB3-BTG'))
    .map((it) => monday.plus({ days: it.day - 1 }).set(at))
    .filter((m) => m > now)
    .map((m, i) => ({
      id: `schedule-eve-${i}`,
      group: 'schedule-eve',
      key: 'sandbox:clock.schedule_remind',
      params: { time: m.toFormat('HH:mm'), date: formatDate(m) },
      at: m,
    }));
}
