-- AlterTable
ALTER TABLE "invites" ADD COLUMN     "code_hash" TEXT;

-- CreateTable
CREATE TABLE "join_code_attempts" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "join_code_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "open_choices" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "message_ref" TEXT NOT NULL,
    "marked" BOOLEAN NOT NULL DEFAULT false,
    "closed_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "open_choices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invites_code_hash_key" ON "invites"("code_hash");

-- CreateIndex
CREATE INDEX "join_code_attempts_channel_chat_id_at_idx" ON "join_code_attempts"("channel", "chat_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "open_choices_channel_chat_id_number_key" ON "open_choices"("channel", "chat_id", "number");

-- CreateIndex
CREATE INDEX "open_choices_channel_chat_id_message_ref_idx" ON "open_choices"("channel", "chat_id", "message_ref");
