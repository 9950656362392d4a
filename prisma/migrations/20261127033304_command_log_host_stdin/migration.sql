-- AlterTable
ALTER TABLE "CommandLog" ADD COLUMN     "host" TEXT,
ADD COLUMN     "stdin" TEXT;
