-- CreateEnum
CREATE TYPE "ScheduleStatus" AS ENUM ('planned', 'changed', 'cancelled');

-- CreateTable
CREATE TABLE "schedule_items" (
    "id" SERIAL NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "ref" TEXT,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3),
    "content" TEXT NOT NULL,
    "place" TEXT NOT NULL DEFAULT '',
    "chair" TEXT NOT NULL DEFAULT '',
    "participants" TEXT NOT NULL DEFAULT '',
    "status" "ScheduleStatus" NOT NULL DEFAULT 'planned',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedule_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_item_units" (
    "item_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,

    CONSTRAINT "schedule_item_units_pkey" PRIMARY KEY ("item_id","unit_id")
);

-- CreateTable
CREATE TABLE "schedule_item_people" (
    "item_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,

    CONSTRAINT "schedule_item_people_pkey" PRIMARY KEY ("item_id","person_id")
);

-- CreateTable
CREATE TABLE "schedule_changes" (
    "id" SERIAL NOT NULL,
    "item_id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor_id" INTEGER,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,

    CONSTRAINT "schedule_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_digests" (
    "id" SERIAL NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "week" TEXT NOT NULL,
    "sent_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "schedule_digests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_digest_recipients" (
    "digest_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,

    CONSTRAINT "schedule_digest_recipients_pkey" PRIMARY KEY ("digest_id","person_id")
);

-- CreateTable
CREATE TABLE "schedule_prefs" (
    "person_id" INTEGER NOT NULL,
    "digest_off" BOOLEAN NOT NULL DEFAULT false,
    "remind_hour_before" BOOLEAN NOT NULL DEFAULT false,
    "ics_token" TEXT,
    "ics_created_at" TIMESTAMP(3),

    CONSTRAINT "schedule_prefs_pkey" PRIMARY KEY ("person_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "schedule_items_ref_key" ON "schedule_items"("ref");

-- CreateIndex
CREATE INDEX "schedule_items_starts_at_idx" ON "schedule_items"("starts_at");

-- CreateIndex
CREATE INDEX "schedule_items_unit_id_starts_at_idx" ON "schedule_items"("unit_id", "starts_at");

-- CreateIndex
CREATE INDEX "schedule_item_units_unit_id_idx" ON "schedule_item_units"("unit_id");

-- CreateIndex
CREATE INDEX "schedule_item_people_person_id_idx" ON "schedule_item_people"("person_id");

-- CreateIndex
CREATE INDEX "schedule_changes_item_id_idx" ON "schedule_changes"("item_id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_digests_unit_id_week_key" ON "schedule_digests"("unit_id", "week");

-- CreateIndex
CREATE INDEX "schedule_digest_recipients_person_id_idx" ON "schedule_digest_recipients"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_prefs_ics_token_key" ON "schedule_prefs"("ics_token");

-- AddForeignKey
ALTER TABLE "schedule_items" ADD CONSTRAINT "schedule_items_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_item_units" ADD CONSTRAINT "schedule_item_units_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "schedule_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_item_units" ADD CONSTRAINT "schedule_item_units_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_item_people" ADD CONSTRAINT "schedule_item_people_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "schedule_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_item_people" ADD CONSTRAINT "schedule_item_people_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_changes" ADD CONSTRAINT "schedule_changes_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "schedule_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_digests" ADD CONSTRAINT "schedule_digests_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_digest_recipients" ADD CONSTRAINT "schedule_digest_recipients_digest_id_fkey" FOREIGN KEY ("digest_id") REFERENCES "schedule_digests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_digest_recipients" ADD CONSTRAINT "schedule_digest_recipients_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_prefs" ADD CONSTRAINT "schedule_prefs_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

