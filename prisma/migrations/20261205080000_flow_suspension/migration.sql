-- AlterTable
ALTER TABLE "chat_states" ADD COLUMN     "suspended_at" TIMESTAMP(3);

