import { formatDateTime, formatQuarter } from '../../core/format.js';
import type { OutgoingMessage } from '../../core/messages.js';
import { t as translate } from '../../i18n.js';
import { checkinButtons } from './buttons.js';
import type { CampaignView } from './campaigns.js';
import { localText } from './questionnaire.js';

/** "Báo cáo tình hình chi bộ Quý IV/2026" */
export function campaignTitle(c: Pick<CampaignView, 'period' | 'questionnaire'>, locale: string): string {
  return `${localText(c.questionnaire.title, locale)} ${formatQuarter(c.period, locale) ?? c.period}`;
}

/** What a responder gets when a campaign opens: what, for which unit, until when, and a start button. */
export function promptMessage(locale: string, c: CampaignView, unit: { id: number; code: string; name: string }): OutgoingMessage {
  const t = translate(locale);
  const text = t('checkin:prompt', {
    title: campaignTitle(c, locale),
    unit: unit.name,
    due: formatDateTime(c.closesAt, locale),
    count: c.questionnaire.questions.length,
  });
  return { text, buttons: [[{ text: t('checkin:buttons.start'), data: checkinButtons.pack('go', { campaign: c.id, unit: unit.id }) }]] };
}
