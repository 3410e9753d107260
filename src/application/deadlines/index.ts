/** Report deadlines: the use cases the chat, the command line and the scheduler call. */
export { deadlinesPolicy, rule } from './policy.js';
export { dlButtons } from '../../domain/deadlines/buttons.js';
export { unitsForCreator, chooseUnits, shortcutUnits, create, type CreatorUnits, type NewDeadline, type ScopeUnit } from './create.js';
export { pendingReports, report, undo, note, NOTE_WINDOW_MIN, type ReportOutcome } from './report.js';
export { myDeadlines, followed, progress, info, FOLLOW_DAYS, type DeadlineInfo, type OpenDeadline } from './views.js';
export { close } from './close.js';
export { board, deadlineBoard, remindLate, remindableNow, type BoardDeadline, type BoardRow, type DeadlineBoard } from './board.js';
export { escalate } from './escalate.js';
