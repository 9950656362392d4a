-- AlterTable
ALTER TABLE "CommandLog" ADD COLUMN     "replay" JSONB;
