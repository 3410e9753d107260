-- CreateTable
CREATE TABLE "deadlines" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'deadline',
    "title" TEXT NOT NULL,
    "due_at" TIMESTAMP(3) NOT NULL,
    "remind_days" JSONB NOT NULL,
    "doc_number" TEXT,
    "link" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,
    "closed_at" TIMESTAMP(3),

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadline_units" (
    "id" SERIAL NOT NULL,
    "deadline_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "reported_at" TIMESTAMP(3),
    "reported_by_id" INTEGER,
    "note" TEXT,

    CONSTRAINT "deadline_units_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE INDEX "deadline_units_unit_id_idx" ON "deadline_units"("unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_units_deadline_id_unit_id_key" ON "deadline_units"("deadline_id", "unit_id");

-- AddForeignKey
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadline_units" ADD CONSTRAINT "deadline_units_deadline_id_fkey" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadline_units" ADD CONSTRAINT "deadline_units_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadline_units" ADD CONSTRAINT "deadline_units_reported_by_id_fkey" FOREIGN KEY ("reported_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

