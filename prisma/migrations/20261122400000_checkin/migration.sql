-- CreateTable
CREATE TABLE "checkin_campaigns" (
    "id" SERIAL NOT NULL,
    "period" TEXT NOT NULL,
    "questionnaire_id" TEXT NOT NULL,
    "questionnaire_version" INTEGER NOT NULL,
    "questionnaire" JSONB NOT NULL,
    "responder_roles" JSONB NOT NULL,
    "opens_at" TIMESTAMP(3) NOT NULL,
    "closes_at" TIMESTAMP(3) NOT NULL,
    "prompted_at" TIMESTAMP(3),
    "deadline_id" INTEGER,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "checkin_campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkin_reports" (
    "id" SERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "answers" JSONB NOT NULL DEFAULT '{}',
    "rev" INTEGER NOT NULL DEFAULT 0,
    "sent_rev" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_by_id" INTEGER,
    "updated_at" TIMESTAMP(3),
    "sent_by_id" INTEGER,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "checkin_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkin_report_versions" (
    "id" SERIAL NOT NULL,
    "report_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "answers" JSONB NOT NULL,
    "sent_by_id" INTEGER,
    "sent_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "checkin_report_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "checkin_campaigns_deadline_id_key" ON "checkin_campaigns"("deadline_id");

-- CreateIndex
CREATE INDEX "checkin_campaigns_period_idx" ON "checkin_campaigns"("period");

-- CreateIndex
CREATE INDEX "checkin_reports_unit_id_idx" ON "checkin_reports"("unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "checkin_reports_campaign_id_unit_id_key" ON "checkin_reports"("campaign_id", "unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "checkin_report_versions_report_id_version_key" ON "checkin_report_versions"("report_id", "version");

-- AddForeignKey
ALTER TABLE "checkin_campaigns" ADD CONSTRAINT "checkin_campaigns_deadline_id_fkey" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_campaigns" ADD CONSTRAINT "checkin_campaigns_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_reports" ADD CONSTRAINT "checkin_reports_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "checkin_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_reports" ADD CONSTRAINT "checkin_reports_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_reports" ADD CONSTRAINT "checkin_reports_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_reports" ADD CONSTRAINT "checkin_reports_sent_by_id_fkey" FOREIGN KEY ("sent_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_report_versions" ADD CONSTRAINT "checkin_report_versions_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "checkin_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkin_report_versions" ADD CONSTRAINT "checkin_report_versions_sent_by_id_fkey" FOREIGN KEY ("sent_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

