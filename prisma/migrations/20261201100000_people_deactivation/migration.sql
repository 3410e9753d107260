-- AlterTable
ALTER TABLE "people" ADD COLUMN     "deactivated_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "invites" ADD COLUMN     "revoked_at" TIMESTAMP(3);

