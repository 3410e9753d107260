-- AlterTable
ALTER TABLE "people" ADD COLUMN     "last_chat_id" INTEGER,
ADD COLUMN     "preferred_channel" TEXT;

