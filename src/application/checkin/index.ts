export { checkinPolicy } from './policy.js';
export { myReports, reportToAnswer, reportOfUnit, answerQuestion, sendAnswers, sendRefusalReason, type AnswerInput } from './reports.js';
export { openableUnits, chooseUnit, previewCampaign, openCheckin, type OpenInput, type UnitRef } from './open.js';
export { summaryFor, type SummaryView } from './summary.js';
export { exportCampaign, listCampaigns } from './export.js';
export { promptAndSync } from './jobs.js';
export {
  campaignsInScope,
  campaignReport,
  exportForViewer,
  type CampaignListItem,
  type CampaignReport,
  type TrendPoint,
} from './dashboard.js';
