-- CreateTable
CREATE TABLE "inbox_updates" (
    "id" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "update_id" TEXT NOT NULL,
    "chat_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMP(3),
    "handled_at" TIMESTAMP(3),
    "gave_up" BOOLEAN NOT NULL DEFAULT false,
    "last_error" TEXT,

    CONSTRAINT "inbox_updates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbox_updates_handled_at_channel_chat_key_id_idx" ON "inbox_updates"("handled_at", "channel", "chat_key", "id");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_updates_channel_update_id_key" ON "inbox_updates"("channel", "update_id");

